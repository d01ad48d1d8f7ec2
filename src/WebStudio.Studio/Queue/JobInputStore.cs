using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Data;
using WebStudio.Studio.Jobs;
using WebStudio.Studio.Options;

namespace WebStudio.Studio.Queue;

/// <summary>
/// The prepared pixels of edit jobs (source image and mask), kept as files beside the image folder
/// (in "job-inputs") from submission until the job ends, so a job that runs again after a crash still has them.
/// </summary>
public sealed class JobInputStore
{
    private readonly string _root;

    public JobInputStore(IOptions<StorageOptions> options)
    {
        var images = Path.GetFullPath(options.Value.ImagesPath);
        _root = Path.Combine(Path.GetDirectoryName(images.TrimEnd(Path.DirectorySeparatorChar)) ?? images, "job-inputs");
    }

    /// <summary>Writes an edit's prepared pixels (nothing for text-to-image).</summary>
    public void Save(Guid jobId, JobInputs? inputs)
    {
        if (inputs is null)
        {
            return;
        }

        Directory.CreateDirectory(_root);
        inputs.Image.SaveAsPng(FilePath(jobId, "image.png"));
        inputs.Mask?.SaveAsPng(FilePath(jobId, "mask.png"));
    }

    /// <summary>The job's stored pixels, or null for a job that has none; the caller disposes them.</summary>
    public JobInputs? Load(GenerationJob job)
    {
        var imagePath = FilePath(job.Id, "image.png");
        if (!File.Exists(imagePath))
        {
            return null;
        }

        var maskPath = FilePath(job.Id, "mask.png");
        return new JobInputs(Image.Load<Rgb24>(imagePath), File.Exists(maskPath) ? Image.Load<L8>(maskPath) : null, job.Width, job.Height);
    }

    /// <summary>Once the job has ended for good.</summary>
    public void Delete(Guid jobId)
    {
        // File.Delete throws when the folder itself is missing (no img2img job has run here yet).
        if (!Directory.Exists(_root))
        {
            return;
        }

        // "strength": written beside the pixels before the spec held it (spec version 1).
        foreach (var name in new[] { "image.png", "mask.png", "strength" })
        {
            File.Delete(FilePath(jobId, name));
        }
    }

    private string FilePath(Guid jobId, string name) => Path.Combine(_root, $"{jobId:N}.{name}");
}
