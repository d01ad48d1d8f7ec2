namespace WebStudio.Hardening.Tests.BadInputs;

/// <summary>Every bad input, once: /v1, /api, pages and share pages, the hub. Built once per test run.</summary>
public static class BadInputTable
{
    public static readonly IReadOnlyList<BadInput> All =
        [.. V1BadInputs.All(), .. ApiBadInputs.All(), .. PageBadInputs.All(), .. HubBadInputs.All()];

    public static BadInput Named(string name) => All.Single(c => c.Name == name);
}
