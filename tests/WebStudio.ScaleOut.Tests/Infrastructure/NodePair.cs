namespace WebStudio.ScaleOut.Tests.Infrastructure;

/// <summary>Two web nodes on one database, disposed together.</summary>
public sealed class NodePair(WebNode a, WebNode b) : IAsyncDisposable
{
    public WebNode A { get; } = a;

    public WebNode B { get; } = b;

    public async ValueTask DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
    }
}
