using WebStudio.Data;
using WebStudio.Generation.Models;

namespace WebStudio.Studio.Queue;

/// <summary>
/// The reason a failed job shows its owner (history, /api/jobs, /v1): plain words, never an exception's text, which
/// may be ONNX Runtime's, name server paths or mean nothing to a user. The job runner logs the exception itself with
/// the job's id, which the reason quotes as its reference.
/// </summary>
public static class JobFailureReason
{
    public const string OutOfMemory = "the job needed more memory than this server has; try a smaller size or batch";

    public static string For(Exception exception, GenerationJob job)
    {
        var reference = $"the administrator can find the details in the log (ref {job.Id})";
        if (OutOfMemoryFailure.Is(exception))
        {
            return OutOfMemory;
        }

        var model = job.Model; // an upscale's column names its upscaler
        return exception switch
        {
            ModelNotFoundException => $"the model '{model}' is no longer on this server",
            ModelLoadException => $"the model '{model}' could not be loaded; {reference}",
            Storage.ImageSaveException => $"the job's images were made but could not be saved on the server; {reference}",
            _ => $"the job failed on the server; {reference}",
        };
    }
}
