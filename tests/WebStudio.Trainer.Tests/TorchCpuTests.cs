using WebStudio.Trainer.Training;
using Xunit;
using static TorchSharp.torch;

namespace WebStudio.Trainer.Tests;

/// <summary>
/// libtorch's oneDNN convolutions read unzeroed channel padding on AVX-512 CPUs (the CI's AMD EPYC among them), so the
/// input gradient of a convolution whose output channels are not a multiple of 16 came out NaN (see <see cref="TorchCpu"/>).
/// </summary>
public class TorchCpuTests
{
    [Theory]
    [InlineData(8, 8)]
    [InlineData(32, 4)]
    [InlineData(24, 24)]
    public void Convolution_gradients_match_an_unfold_reference(int inChannels, int outChannels)
    {
        TorchCpu.UseAtenConvolutions();
        const int batch = 8, size = 16;
        var generator = new Generator(1);
        var x0 = randn([batch, inChannels, size, size], generator: generator);
        var weight = randn([outChannels, inChannels, 3, 3], generator: generator) * 0.1f;
        var bias = randn([outChannels], generator: generator) * 0.1f;
        var gradOut = randn([batch, outChannels, size, size], generator: generator);

        var xr = x0.clone().requires_grad_(true);
        var columns = nn.functional.unfold(xr, 3, padding: 1);
        var reference = weight.reshape(outChannels, inChannels * 9).matmul(columns).reshape(batch, outChannels, size, size)
            + bias.reshape(1, outChannels, 1, 1);
        reference.backward([gradOut]);

        for (var i = 0; i < 6; i++)
        {
            using var scope = NewDisposeScope();
            // Freed NaN memory for the allocator to hand back: what a kernel reading unzeroed padding would pick up.
            full([batch, 16, size, size], float.NaN).Dispose();
            var x = x0.clone().requires_grad_(true);
            var y = nn.functional.conv2d(x, weight, bias, padding: [1, 1]);
            y.backward([gradOut]);
            Assert.True((y - reference).abs().max().item<float>() < 1e-4f, $"forward differs (try {i})");
            Assert.True((x.grad! - xr.grad!).abs().max().item<float>() < 1e-4f, $"input gradient differs or is NaN (try {i})");
        }
    }
}
