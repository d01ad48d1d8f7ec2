using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WebStudio.Studio;
using WebStudio.Studio.Options;

namespace WebStudio.Web.Tests.Hosting;

/// <summary>Generation:IoBinding and Generation:CudaGraph reach the sessions' load options from configuration.</summary>
[Trait("Capability", "UserModels")]
public sealed class GenerationLoadOptionsTests
{
    [Fact]
    public void IoBinding_is_on_and_the_cuda_graph_off_when_the_configuration_says_nothing()
    {
        var load = LoadOptions([]);

        Assert.True(load.IoBinding);
        Assert.False(load.CudaGraph);
    }

    [Fact]
    public void IoBinding_and_the_cuda_graph_are_read_from_the_generation_section()
    {
        var load = LoadOptions(new() { ["Generation:IoBinding"] = "false", ["Generation:CudaGraph"] = "true", ["Generation:CudaDeviceId"] = "1" });

        Assert.False(load.IoBinding);
        Assert.True(load.CudaGraph);
        Assert.Equal(1, load.CudaDeviceId);
    }

    private static Generation.Models.ModelLoadOptions LoadOptions(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var services = new ServiceCollection().AddStudioCore(configuration).BuildServiceProvider();
        return services.GetRequiredService<IOptions<GenerationOptions>>().Value.LoadOptions();
    }
}
