namespace WebStudio.Web.Tests.Architecture;

/// <summary>
/// The tests host the studio one way (issue 17): StudioHost and StudioWorker, over one ChildProcess helper. No other
/// test file may grow a second host: a WebApplicationFactory, a Kestrel of its own, or a child process of its own.
/// </summary>
[Trait("Capability", "StudioCore")]
public sealed class OneStudioHostTests
{
    // The single sign-on tests' OpenID Connect provider (OpenIddict on a Kestrel of its own): a server the studio signs
    // in against, not the studio.
    private const string OpenIdProvider = "Shared/SingleSignOn/OpenIdProvider.cs";

    // The servers the studio depends on (PostgreSQL's initdb and pg_ctl, redis-server), not the studio.
    private static readonly string[] Servers = ["WebStudio.Testing/Postgres/PostgresServer.cs", "WebStudio.Testing/Servers/RedisServer.cs"];

    // Where each way of hosting may appear, relative to tests/.
    private static readonly (string Code, string[] Allowed)[] HostingCode =
    [
        ("WebApplicationFactory<", ["Shared/Studio/StudioHost.cs"]),
        ("UseKestrel(", ["Shared/Studio/StudioHost.cs", OpenIdProvider]),
        ("new ProcessStartInfo(", ["WebStudio.Testing/Hosting/ChildProcess.cs", CrossProcessDeterminism, .. Servers]),
        ("Process.Start(", ["WebStudio.Testing/Hosting/ChildProcess.cs", CrossProcessDeterminism, .. Servers]),

        // The worker tests also build (never start) the host to read its settings and to claim a job by hand.
        ("WorkerHost.CreateBuilder(", ["Shared/Worker/StudioWorker.cs", "WebStudio.Web.Tests/WorkerHostTests.cs"]),
    ];

    // Runs its own test assembly as a second process, to compare image hashes: not the studio.
    private const string CrossProcessDeterminism = "WebStudio.Generation.Tests/Pipelines/CrossProcessDeterminismTests.cs";

    [Fact]
    public void Only_the_studio_host_fixture_starts_the_studio_in_process_or_as_a_child_process()
    {
        var tests = Path.Combine(RepositoryFolders.Root, "tests");
        var files = Directory.EnumerateFiles(tests, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(tests, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(f => !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal)
                        && f != "WebStudio.Web.Tests/Architecture/OneStudioHostTests.cs")
            .ToList();

        var strays = (from file in files
                      let text = File.ReadAllText(Path.Combine(tests, file))
                      from rule in HostingCode
                      where text.Contains(rule.Code, StringComparison.Ordinal) && !rule.Allowed.Contains(file)
                      select $"{file}: {rule.Code}").ToList();

        Assert.True(strays.Count == 0, "a second way to host the studio:\n" + string.Join('\n', strays));
        Assert.Contains("Shared/Studio/StudioHost.cs", files); // the scan saw the tests at all
    }
}
