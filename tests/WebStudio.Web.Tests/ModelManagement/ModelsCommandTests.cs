using Microsoft.Extensions.DependencyInjection;
using WebStudio.Web.ModelManagement;

namespace WebStudio.Web.Tests.ModelManagement;

/// <summary>`models list|install|remove|default`: end to end as the web app's own command line (a child process on
/// a test studio's settings, installing from the fake Hub), and its exit codes and progress bar in process.</summary>
[Trait("Capability", "UserModels")]
public sealed class ModelsCommandTests
{
    [Fact]
    public async Task The_command_line_installs_from_the_hub_lists_sets_the_default_and_removes()
    {
        await using var world = new ModelManagerWorld();
        await using var studio = StudioHost.Create(new StudioHostOptions { Settings = new Dictionary<string, string?> { ["Models:HubEndpoint"] = world.Hub.Endpoint.ToString() } });

        var installed = await studio.RunCommandAsync("models", "install", ModelManagerWorld.Repo, "--name", "from-hub");
        Assert.StartsWith("installed from-hub (", installed, StringComparison.Ordinal);

        var listed = Lines(await studio.RunCommandAsync("models", "list"));
        Assert.Equal(3, listed.Length);
        Assert.Matches(@"^NAME\s+SIZE\s+PRECISION\s+FAMILY\s+MEMORY", listed[0]);
        Assert.Matches(@"^from-hub\s+\d+ MiB\s+fp32\s+SD 1.x/2.x\s+\d+ MiB at 64²$", listed[1]);
        Assert.StartsWith("*  tiny ", listed[2], StringComparison.Ordinal);

        await studio.RunCommandAsync("models", "default", "from-hub");
        Assert.Equal("from-hub", (await studio.RunCommandAsync("models", "default")).Trim());
        Assert.StartsWith("*  from-hub ", Lines(await studio.RunCommandAsync("models", "list"))[1], StringComparison.Ordinal);

        Assert.Equal("removed tiny", (await studio.RunCommandAsync("models", "remove", "tiny")).Trim());
        Assert.Equal(["from-hub"], Directory.GetDirectories(studio.ModelsPath).Select(Path.GetFileName).Where(n => n![0] != '.'));
    }

    [Fact]
    public async Task A_refusal_exits_with_1_and_a_bad_command_line_with_2_and_the_bar_is_drawn_on_stderr()
    {
        await using var world = new ModelManagerWorld();
        var services = new ServiceCollection().AddSingleton(world.Installer).BuildServiceProvider();

        var (code, output, errors) = await RunAsync(services, "install", ModelManagerWorld.Repo);
        Assert.Equal(0, code);
        Assert.StartsWith("installed tiny-onnx", output, StringComparison.Ordinal);
        Assert.Contains("[##############################] 100%", errors, StringComparison.Ordinal);

        (code, _, errors) = await RunAsync(services, "install", "someone/missing");
        Assert.Equal(ModelsCommand.Failed, code);
        Assert.StartsWith("error: The Hub has no repository 'someone/missing'", Lines(errors)[^1], StringComparison.Ordinal); // below the bar

        (code, _, errors) = await RunAsync(services, "remove", "nothing-here");
        Assert.Equal(ModelsCommand.Failed, code);
        Assert.Contains("There is no model called 'nothing-here'", errors, StringComparison.Ordinal);

        (code, _, errors) = await RunAsync(services, "uninstall", "x");
        Assert.Equal(ModelsCommand.BadUsage, code);
        Assert.Contains("models --help", errors, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output, string Errors)> RunAsync(IServiceProvider services, params string[] args)
    {
        using StringWriter output = new(), errors = new();
        var code = await ModelsCommand.RunAsync(services, args, output, errors);
        return (code, output.ToString(), errors.ToString());
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
