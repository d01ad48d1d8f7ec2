using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using WebStudio.Generation.Models;
using WebStudio.Studio.Engine;
using WebStudio.Studio.Options;

namespace WebStudio.Studio.ModelManagement;

/// <summary>
/// Installs models into the models folder (from a folder, a zip or a Hugging Face repository), removes them and sets
/// the default. Everything is written to a staging folder under <c>.partial/</c> first (the catalog lists only the
/// models folder's direct sub-folders with a model_index.json) and moved into place in one rename once complete and
/// checked, so a half-installed model is never listed. A Hub download left in staging is resumed by the next
/// install of the same repository into the same name.
/// </summary>
public sealed class ModelInstaller(
    IOptions<GenerationOptions> generation,
    IOptions<ModelManagerOptions> options,
    HuggingFaceHub hub,
    IFreeSpaceProbe freeSpace,
    ModelInstallNotifier notifier,
    ILogger<ModelInstaller> logger)
{
    /// <summary>The staging folder under the models folder.</summary>
    public const string StagingFolder = ".partial";

    // Files of a Hub repository that an ONNX install never needs: PyTorch, Flax and TensorFlow weights.
    private static readonly string[] SkippedExtensions = [".safetensors", ".bin", ".ckpt", ".pt", ".pth", ".msgpack", ".h5"];

    private static readonly TimeSpan ReportEvery = TimeSpan.FromMilliseconds(200);

    private readonly ConcurrentDictionary<string, byte> _busy = new(StringComparer.Ordinal);

    public string Root => Path.GetFullPath(generation.Value.ModelsPath);

    public string DefaultModel => generation.Value.DefaultModel;

    public IReadOnlyList<InstalledModel> List() =>
        [.. new ModelCatalog(Root).List().Select(m => Describe(m.Folder, m.Name))];

    public InstalledModel Find(string name) =>
        List().FirstOrDefault(m => m.Name == name) ?? throw new ModelInstallException($"There is no model called '{name}' in {Root}.");

    /// <summary>Copies the model folder <paramref name="source"/> in, as <paramref name="name"/> or the folder's own name.</summary>
    public Task<InstalledModel> InstallFolderAsync(string source, string? name, IProgress<ModelInstallProgress>? progress = null, CancellationToken cancellation = default)
    {
        var folder = Path.GetFullPath(source);
        if (!Directory.Exists(folder))
        {
            throw new ModelInstallException($"There is no folder {folder}.");
        }

        if (!OnnxModelLayout.Has(folder))
        {
            throw new ModelInstallException(OnnxModelLayout.Missing(folder));
        }

        if (folder.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || folder == Root)
        {
            throw new ModelInstallException($"{folder} is inside the models folder already.");
        }

        var model = name is null ? ModelFolderName.From(folder) : ModelFolderName.Check(name);
        return StagedAsync(model, progress, async (staging, report) =>
        {
            var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).ToList();
            var total = files.Sum(f => new FileInfo(f).Length);
            EnsureSpace(model, total);
            long done = 0;
            foreach (var file in files)
            {
                var target = Path.Combine(staging, Path.GetRelativePath(folder, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                await using (var input = File.OpenRead(file))
                await using (var output = File.Create(target))
                {
                    await input.CopyToAsync(output, cancellation);
                }

                done += new FileInfo(file).Length;
                report(ModelInstallStage.Copying, done, total, Path.GetRelativePath(folder, file));
            }

            return staging;
        }, keepStaging: false, cancellation);
    }

    /// <summary>Unpacks a zip of a model folder (its root, or one folder inside it, holding the layout).</summary>
    public Task<InstalledModel> InstallZipAsync(Stream zip, string fileName, string? name, IProgress<ModelInstallProgress>? progress = null, CancellationToken cancellation = default)
    {
        var model = name is null ? ModelFolderName.From(Path.GetFileNameWithoutExtension(fileName)) : ModelFolderName.Check(name);
        return StagedAsync(model, progress, async (staging, report) =>
        {
            var limits = options.Value;
            await SafeZip.ExtractAsync(zip, staging, limits.MaxZipBytes, limits.MaxZipEntries, bytes => EnsureSpace(model, bytes),
                (done, all) => report(ModelInstallStage.Copying, done, all, null), cancellation);
            var root = OnnxModelLayout.Has(staging) ? staging
                : Directory.GetDirectories(staging) is [var only] && Directory.GetFiles(staging).Length == 0 && OnnxModelLayout.Has(only) ? only
                : throw new ModelInstallException(OnnxModelLayout.Missing($"The zip {fileName}"));
            return root;
        }, keepStaging: false, cancellation);
    }

    /// <summary>
    /// Installs a zip that arrives as a stream, an upload: it is written under the staging folder first (a zip is read
    /// from its end) and deleted once installed or refused. Its name, and its <paramref name="length"/> where the sender
    /// gave one, are checked against the limit and the free disk before any byte is read.
    /// </summary>
    public async Task<InstalledModel> InstallZipUploadAsync(Stream upload, long? length, string fileName, string? name, CancellationToken cancellation = default)
    {
        var model = name is null ? ModelFolderName.From(Path.GetFileNameWithoutExtension(fileName)) : ModelFolderName.Check(name);
        if (length > options.Value.MaxZipBytes)
        {
            throw new ModelInstallException($"The zip {fileName} is {JobMemoryAdmission.Size(length.Value)}: larger than the {JobMemoryAdmission.Size(options.Value.MaxZipBytes)} a model may take.");
        }

        RefuseInstalled(model);
        if (length is { } bytes)
        {
            EnsureSpace(model, bytes);
        }

        var path = Path.Combine(Root, StagingFolder, $"upload-{Guid.NewGuid():N}.zip");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            await using (var file = File.Create(path))
            {
                await upload.CopyToAsync(file, cancellation);
            }

            await using var zip = File.OpenRead(path);
            return await InstallZipAsync(zip, fileName, name, cancellation: cancellation);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Downloads <paramref name="repo"/> (at <paramref name="revision"/>, under <paramref name="subfolder"/>) from the Hub.</summary>
    public Task<InstalledModel> InstallFromHubAsync(string repo, string? revision, string? subfolder, string? name,
        IProgress<ModelInstallProgress>? progress = null, CancellationToken cancellation = default)
    {
        repo = repo.Trim();
        if (!HuggingFaceHub.IsRepoId(repo))
        {
            throw new ModelInstallException($"'{repo}' is not a Hub repository id (owner/name).");
        }

        var model = name is null ? ModelFolderName.From(string.IsNullOrWhiteSpace(subfolder) ? repo : repo + "-" + subfolder.Trim('/').Replace('/', '-')) : ModelFolderName.Check(name);
        var rev = string.IsNullOrWhiteSpace(revision) ? "main" : revision.Trim();
        return StagedAsync(model, progress, async (staging, report) =>
        {
            report(ModelInstallStage.Listing, 0, 0, null);
            var listing = await hub.ListAsync(repo, rev, subfolder, cancellation);
            if (!OnnxModelLayout.Has(listing.Files.Select(f => f.Path)))
            {
                throw new ModelInstallException(OnnxModelLayout.Missing($"The Hub repository '{repo}'" + (listing.Subfolder.Length > 0 ? $" (folder {listing.Subfolder})" : ""), repo));
            }

            var files = listing.Files.Where(f => !SkippedExtensions.Contains(Path.GetExtension(f.Path), StringComparer.OrdinalIgnoreCase)).ToList();
            var total = files.Sum(f => f.Size);
            long Have(HubFile f) => File.Exists(StagedPath(staging, f.Path)) ? Math.Min(f.Size, new FileInfo(StagedPath(staging, f.Path)).Length) : 0;
            long done = files.Sum(Have);
            EnsureSpace(model, total - done);

            foreach (var file in files)
            {
                var target = StagedPath(staging, file.Path);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                using var hash = file.Sha256 is null ? null : new DownloadHash();
                await DownloadFileAsync(listing, file, target, received =>
                {
                    done += received;
                    report(ModelInstallStage.Downloading, done, total, file.Path);
                }, hash, cancellation);
                report(ModelInstallStage.Verifying, done, total, file.Path);
                await VerifyAsync(file, target, hash, cancellation);
            }

            return staging;
        }, keepStaging: true, cancellation);
    }

    public void Remove(string name)
    {
        var model = Find(name);
        if (model.IsDefault)
        {
            throw new ModelInstallException($"'{name}' is the default model: make another model the default first.");
        }

        // Out of the list in one rename; the files go after (a running job that has it loaded keeps its open files).
        var trash = Path.Combine(Root, StagingFolder, $"removed-{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.GetDirectoryName(trash)!);
        Directory.Move(model.Folder, trash);
        Directory.Delete(trash, recursive: true);
        logger.LogInformation("Model {Model} removed", name);
    }

    /// <summary>Makes <paramref name="name"/> the default, for this process at once and for every host on this models folder from its next start.</summary>
    public void SetDefault(string name)
    {
        var model = Find(name);
        if (model.EditsByInstruction)
        {
            // The catalog's listing names the kinds without reading each model's graphs, as List() does.
            var instead = new ModelCatalog(Root).List().FirstOrDefault(m => !m.EditsByInstruction);
            throw new ModelInstallException($"'{name}' edits images by instruction and makes no image from a prompt alone, so it cannot be the default: "
                + (instead is null ? "install a text-to-image model first." : $"choose a text-to-image model, such as '{instead.Name}'."));
        }

        DefaultModelFile.Write(Root, model.Name);
        generation.Value.DefaultModel = model.Name;
        logger.LogInformation("Model {Model} is now the default", name);
    }

    private async Task<InstalledModel> StagedAsync(string model, IProgress<ModelInstallProgress>? progress,
        Func<string, Action<ModelInstallStage, long, long, string?>, Task<string>> fill, bool keepStaging, CancellationToken cancellation)
    {
        var destination = RefuseInstalled(model);

        if (!_busy.TryAdd(model, 0))
        {
            throw new ModelInstallException($"'{model}' is being installed already.");
        }

        var staging = Path.Combine(Root, StagingFolder, keepStaging ? model : $"{model}.{Guid.NewGuid():N}");
        var clock = Stopwatch.StartNew();
        var last = TimeSpan.MinValue;
        var lastStage = (ModelInstallStage)(-1);
        void Report(ModelInstallProgress p)
        {
            progress?.Report(p);
            notifier.Publish(p);
        }

        void Throttled(ModelInstallStage stage, long done, long total, string? file)
        {
            // Every change of stage, the end of each file's bytes, and otherwise a few times a second.
            if (stage != lastStage || done == total || clock.Elapsed - last >= ReportEvery)
            {
                (last, lastStage) = (clock.Elapsed, stage);
                Report(new ModelInstallProgress(model, stage, done, total, file));
            }
        }

        try
        {
            Directory.CreateDirectory(staging);
            var folder = await fill(staging, Throttled);
            ModelConfig.Read(folder); // model_index.json must parse before the model is listed
            Directory.Move(folder, destination);
            if (folder != staging)
            {
                Directory.Delete(staging, recursive: true);
            }

            var installed = Describe(destination, model);
            Report(new ModelInstallProgress(model, ModelInstallStage.Installed, installed.SizeBytes, installed.SizeBytes));
            logger.LogInformation("Model {Model} installed ({Size})", model, JobMemoryAdmission.Size(installed.SizeBytes));
            return installed;
        }
        catch (Exception e)
        {
            // A Hub download keeps what it has for the next attempt to resume; anything else starts over.
            if (!keepStaging || e is ModelLoadException || !Directory.EnumerateFileSystemEntries(staging).Any())
            {
                TryDelete(staging);
            }

            Report(new ModelInstallProgress(model, ModelInstallStage.Failed, 0, 0, null, e.Message));
            if (e is ModelLoadException)
            {
                throw new ModelInstallException($"'{model}' was not installed: {e.Message}", e);
            }

            throw;
        }
        finally
        {
            _busy.TryRemove(model, out _);
        }
    }

    private async Task DownloadFileAsync(HubListing listing, HubFile file, string target, Action<long> received, DownloadHash? hash, CancellationToken cancellation)
    {
        var attempts = Math.Max(1, options.Value.DownloadAttempts);
        for (var attempt = 1; ; attempt++)
        {
            var have = File.Exists(target) ? new FileInfo(target).Length : 0;
            if (have == file.Size)
            {
                return;
            }

            if (have > file.Size)
            {
                File.Delete(target);
            }

            try
            {
                await hub.DownloadAsync(listing, file, target, received, hash, cancellation);
                return;
            }
            catch (Exception e) when (e is IOException or HttpRequestException && attempt < attempts && !cancellation.IsCancellationRequested)
            {
                logger.LogWarning("Download of {File} cut off ({Error}); resuming (attempt {Attempt} of {Attempts})", file.Path, e.Message, attempt + 1, attempts);
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), cancellation);
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                throw new ModelInstallException($"The download of {file.Path} was cut off ({attempts} attempt{(attempts == 1 ? "" : "s")}; {e.Message}); install again to resume it.", e);
            }
        }
    }

    /// <summary>Checks the file's size and, for an LFS file, its SHA-256, hashed as it downloaded (<paramref name="hash"/>).</summary>
    private static async Task VerifyAsync(HubFile file, string target, DownloadHash? hash, CancellationToken cancellation)
    {
        var length = new FileInfo(target).Length;
        string? problem = null;
        if (length != file.Size)
        {
            problem = $"{file.Path} has {length} bytes where the Hub lists {file.Size}";
        }
        else if (file.Sha256 is { } expected && hash is not null)
        {
            var actual = await hash.FinishAsync(target, cancellation);
            if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
            {
                problem = $"{file.Path} is corrupted: its SHA-256 is {actual}, the Hub lists {expected}";
            }
        }

        if (problem is not null)
        {
            File.Delete(target); // the next install downloads it again
            throw new ModelInstallException(problem + "; nothing was installed.");
        }
    }

    // What the manager shows of an installed model, with its memory estimated as this studio runs it.
    private InstalledModel Describe(string folder, string model) =>
        InstalledModel.Read(folder, model == DefaultModel, generation.Value.EstimatesForCpu(), generation.Value.VaeTileSize);

    // The folder the model would go to, where nothing is yet.
    private string RefuseInstalled(string model)
    {
        var destination = Path.Combine(Root, model);
        return Directory.Exists(destination) || File.Exists(destination)
            ? throw new ModelInstallException($"A model called '{model}' is installed already: remove it first or give another name.")
            : destination;
    }

    private void EnsureSpace(string model, long bytes)
    {
        var free = freeSpace.AvailableBytes(Root);
        var needed = bytes + options.Value.FreeSpaceMargin;
        if (free < needed)
        {
            throw new ModelInstallException($"Not enough disk space to install '{model}': it needs {JobMemoryAdmission.Size(needed)} and {Root} has {JobMemoryAdmission.Size(free)} free.");
        }
    }

    private static string StagedPath(string staging, string relative)
    {
        var path = Path.GetFullPath(Path.Combine(staging, relative));
        return path.StartsWith(staging + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? path
            : throw new ModelInstallException($"The Hub listed a file outside the model folder: '{relative}'.");
    }

    private void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException e)
        {
            logger.LogWarning("The staging folder {Folder} could not be removed: {Error}", folder, e.Message);
        }
    }
}
