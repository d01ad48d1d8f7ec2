using Microsoft.ML.OnnxRuntime;

namespace WebStudio.Generation.Models;

/// <summary>Whether a failed run ran out of memory, so that the studio can say so without knowing ONNX Runtime.</summary>
public static class OutOfMemoryFailure
{
    // ORT reports a failed allocation as a runtime error whose text names it (CPU "Failed to allocate memory",
    // bad_alloc; CUDA's BFC arena and cuBLAS/cuDNN allocation failures).
    private static readonly string[] AllocationTexts =
        ["Failed to allocate memory", "bad allocation", "bad_alloc", "out of memory", "ALLOC_FAILED", "BFCArena"];

    public static bool Is(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is OutOfMemoryException
                || (e is OnnxRuntimeException && AllocationTexts.Any(text => e.Message.Contains(text, StringComparison.OrdinalIgnoreCase))))
            {
                return true;
            }
        }

        return false;
    }
}
