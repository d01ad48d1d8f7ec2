using System.Globalization;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Data;
using WebStudio.Studio.Engine;
using WebStudio.Studio.Options;

namespace WebStudio.Studio.Queue;

/// <summary>
/// The source image, mask and strength of img2img and inpainting jobs, kept as files beside the image folder
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

    public static JobKind KindOf(JobParameters parameters) =>
        parameters.InitImage is null ? JobKind.Txt2Img : parameters.Mask is null ? JobKind.Img2Img : JobKind.Inpaint;

    /// <summary>Writes the inputs of an img2img or inpainting job (nothing for txt2img).</summary>
    public void Save(Guid jobId, JobParameters parameters)
    {
        if (parameters.InitImage is not { } image)
        {
            return;
        }

        Directory.CreateDirectory(_root);
        image.SaveAsPng(FilePath(jobId, "image.png"));
        parameters.Mask?.SaveAsPng(FilePath(jobId, "mask.png"));
        File.WriteAllText(FilePath(jobId, "strength"), parameters.Strength.ToString("R", CultureInfo.InvariantCulture));
    }

    /// <summary>The job's parameters with its stored inputs; the caller disposes the images they carry.</summary>
    public JobParameters Attach(Guid jobId, JobParameters parameters)
    {
        var imagePath = FilePath(jobId, "image.png");
        if (!File.Exists(imagePath))
        {
            return parameters;
        }

        var maskPath = FilePath(jobId, "mask.png");
        return parameters with
        {
            InitImage = Image.Load<Rgb24>(imagePath),
            Mask = File.Exists(maskPath) ? Image.Load<L8>(maskPath) : null,
            Strength = float.Parse(File.ReadAllText(FilePath(jobId, "strength")), CultureInfo.InvariantCulture),
        };
    }

    /// <summary>Once the job has ended for good.</summary>
    public void Delete(Guid jobId)
    {
        // File.Delete throws when the folder itself is missing (no img2img job has run here yet).
        if (!Directory.Exists(_root))
        {
            return;
        }

        foreach (var name in new[] { "image.png", "mask.png", "strength" })
        {
            File.Delete(FilePath(jobId, name));
        }
    }

    private string FilePath(Guid jobId, string name) => Path.Combine(_root, $"{jobId:N}.{name}");
}
