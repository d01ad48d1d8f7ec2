// One test class at a time: the suites time their answers (2 s per bad input, linear-time ratios, shutdown within
// its timeout) on a 2-core machine, where classes running side by side would measure each other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
