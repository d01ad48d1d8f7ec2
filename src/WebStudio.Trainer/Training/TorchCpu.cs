using System.Runtime.InteropServices;

namespace WebStudio.Trainer.Training;

/// <summary>
/// Turns off libtorch's oneDNN (mkldnn) convolutions, so CPU convolutions run on ATen's own kernels (im2col + GEMM).
/// </summary>
/// <remarks>
/// libtorch-cpu 2.10's oneDNN 3.7.1 gets convolutions wrong on AVX-512 machines such as the AMD EPYC (Zen 5) CI
/// machines: it works in channel blocks of 16 (of 8 with AVX2), and where a convolution's channel count is not a whole
/// number of blocks it reads the padding of its blocked buffers without zeroing it, so whatever memory the allocator
/// hands back gets into the result. The gradient with respect to the input is wrong (often NaN) whenever the output
/// channels are not a multiple of the block: the tiny VAE (8 and 16 channels), and the 4-channel latent outputs of the
/// full VAE encoder and UNet; with 24 channels even the forward pass is wrong. It depends on what was in the reused
/// memory, so runs differ and the first call is often right. Limiting oneDNN to AVX2 (ONEDNN_MAX_CPU_ISA=AVX2) fixes
/// the 8-channel case but not the 4-channel one; ATen's kernels are right everywhere. They compute the same
/// convolution, so checkpoints and training are unchanged, only the CPU kernel differs.
/// Set WEBSTUDIO_TORCH_ONEDNN=1 to keep oneDNN (e.g. to check whether a newer libtorch fixed it).
/// </remarks>
internal static class TorchCpu
{
    private static readonly Lock Gate = new();
    private static bool _configured;

    public static void UseAtenConvolutions()
    {
        lock (Gate)
        {
            if (_configured)
            {
                return;
            }

            _configured = true;
            if (Environment.GetEnvironmentVariable("WEBSTUDIO_TORCH_ONEDNN") == "1")
            {
                return;
            }

            // Loads libtorch through TorchSharp first, so the library found below is the one TorchSharp uses.
            _ = TorchSharp.torch.get_num_threads();
            try
            {
                SetUserEnabledMkldnn(GlobalContext(), false);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                Console.Error.WriteLine($"Warning: could not turn off libtorch's oneDNN convolutions ({e.Message}); on AVX-512 CPUs their gradients can be NaN.");
            }
        }
    }

    public static bool OneDnnEnabled => UserEnabledMkldnn(GlobalContext());

    // at::globalContext() and at::Context::setUserEnabledMkldnn(bool) (what torch.backends.mkldnn.enabled sets in
    // PyTorch); TorchSharp 0.107 does not wrap them. Non-virtual members take `this` as their first argument.
    [DllImport("libtorch_cpu.so", EntryPoint = "_ZN2at13globalContextEv")]
    private static extern IntPtr GlobalContext();

    [DllImport("libtorch_cpu.so", EntryPoint = "_ZN2at7Context20setUserEnabledMkldnnEb")]
    private static extern void SetUserEnabledMkldnn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [DllImport("libtorch_cpu.so", EntryPoint = "_ZNK2at7Context17userEnabledMkldnnEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static extern bool UserEnabledMkldnn(IntPtr context);
}
