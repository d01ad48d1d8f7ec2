namespace WebStudio.ScaleOut.Tests.Cluster;

/// <summary>Waits for a condition that something else brings about (a job's end, a stream's progress), checking often.</summary>
public static class Poll
{
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan timeout, Func<string>? details = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out after {timeout.TotalSeconds:0} s waiting for {what}\n{details?.Invoke()}");
            await Task.Delay(25);
        }
    }

    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan timeout, Func<string>? details = null) =>
        UntilAsync(() => Task.FromResult(condition()), what, timeout, details);
}
