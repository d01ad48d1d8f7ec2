namespace WebStudio.Studio.Queue;

/// <summary>A running job's lease as its page reads it: <see cref="Since"/> its last renewal, and the time
/// <see cref="UntilRequeue"/>. <see cref="WorthSaying"/> once no heartbeat has renewed it for one and a half beats.</summary>
public sealed record WorkerSilence(TimeSpan Since, TimeSpan UntilRequeue, TimeSpan Threshold)
{
    public bool WorthSaying => Since >= Threshold;
}
