using System.CommandLine;
using System.Globalization;
using WebStudio.Studio.Engine;
using WebStudio.Studio.ModelManagement;

namespace WebStudio.Web.ModelManagement;

/// <summary>
/// <c>dotnet run --project src/WebStudio.Web -- models list|install|remove|default</c>: the model manager on the
/// command line, on the same settings (Generation:ModelsPath, Models:*) as the server. <c>install</c> takes a model
/// folder, a .zip, or a Hugging Face repository id (with <c>--revision</c> and <c>--subfolder</c>), and draws a
/// progress bar on stderr. Exit codes: 0 done, 1 refused or failed (the reason on stderr), 2 a bad command line.
/// </summary>
public static class ModelsCommand
{
    public const string Verb = "models";

    public const int Failed = 1;

    public const int BadUsage = 2;

    private static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    public static bool IsRequested(string[] args) => args.Length > 0 && args[0] == Verb;

    /// <summary>Runs <paramref name="args"/> (after "models"); returns the exit code.</summary>
    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error, CancellationToken cancellation = default)
    {
        var installer = services.GetRequiredService<ModelInstaller>();
        var root = Build(installer, output, error, cancellation);
        var result = root.Parse(args);
        if (result.Errors.Count > 0 && result.Action is not System.CommandLine.Help.HelpAction)
        {
            foreach (var parseError in result.Errors)
            {
                await error.WriteLineAsync(parseError.Message);
            }

            await error.WriteLineAsync("Run 'models --help' for the commands.");
            return BadUsage;
        }

        try
        {
            return await result.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }, cancellation);
        }
        catch (ModelInstallException e)
        {
            await error.WriteLineAsync("error: " + e.Message);
            return Failed;
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("interrupted: run the same install again to resume the download.");
            return Failed;
        }
    }

    private static RootCommand Build(ModelInstaller installer, TextWriter output, TextWriter error, CancellationToken cancellation)
    {
        var root = new RootCommand("Lists, installs and removes the studio's models, and sets the default one.");

        var json = new Option<bool>("--json") { Description = "one JSON object per model instead of a table" };
        var list = new Command("list", "the installed models: size, precision, family, memory estimate; * marks the default") { json };
        list.SetAction(parse =>
        {
            var models = installer.List();
            if (parse.GetValue(json))
            {
                foreach (var model in models)
                {
                    output.WriteLine(System.Text.Json.JsonSerializer.Serialize(model with { Card = null }, Json));
                }
            }
            else
            {
                WriteTable(models, output, installer.Root);
            }

            return 0;
        });

        var source = new Argument<string>("source") { Description = "a model folder, a .zip of one, or a Hugging Face repository id (owner/name)" };
        var name = new Option<string?>("--name") { Description = "the model's name (default: from the folder, zip or repository)" };
        var revision = new Option<string?>("--revision") { Description = "Hub: a branch, tag or commit (default main)" };
        var subfolder = new Option<string?>("--subfolder") { Description = "Hub: the repository folder holding the model" };
        var install = new Command("install", "install a model from a folder, a zip or the Hugging Face Hub") { source, name, revision, subfolder };
        install.SetAction(async (parse, token) =>
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(token, cancellation);
            var bar = new ProgressBar(error);
            InstalledModel model;
            try
            {
                model = await InstallAsync(installer, parse.GetValue(source)!, parse.GetValue(name), parse.GetValue(revision), parse.GetValue(subfolder), bar, linked.Token);
            }
            finally
            {
                bar.Finish(); // an error goes on a line of its own
            }
            output.WriteLine($"installed {model.Name} ({JobMemoryAdmission.Size(model.SizeBytes)}) in {model.Folder}");
            return 0;
        });

        var target = new Argument<string>("name") { Description = "the model's name, as `models list` shows it" };
        var remove = new Command("remove", "remove an installed model (not the default)") { target };
        remove.SetAction(parse =>
        {
            installer.Remove(parse.GetValue(target)!);
            output.WriteLine($"removed {parse.GetValue(target)}");
            return 0;
        });

        var chosen = new Argument<string?>("name") { Description = "the model to make the default; none: print the default", Arity = ArgumentArity.ZeroOrOne };
        var setDefault = new Command("default", "print or set the default model (kept in the models folder's default-model.json)") { chosen };
        setDefault.SetAction(parse =>
        {
            if (parse.GetValue(chosen) is { } model)
            {
                installer.SetDefault(model);
                output.WriteLine($"default model: {model} (a running studio takes it at its next start)");
            }
            else
            {
                output.WriteLine(installer.DefaultModel);
            }

            return 0;
        });

        root.Add(list);
        root.Add(install);
        root.Add(remove);
        root.Add(setDefault);
        return root;
    }

    private static Task<InstalledModel> InstallAsync(ModelInstaller installer, string source, string? name, string? revision, string? subfolder,
        IProgress<ModelInstallProgress> progress, CancellationToken cancellation)
    {
        if (Directory.Exists(source))
        {
            return installer.InstallFolderAsync(source, name, progress, cancellation);
        }

        if (File.Exists(source))
        {
            return InstallZipAsync(installer, source, name, progress, cancellation);
        }

        if (HuggingFaceHub.IsRepoId(source))
        {
            return installer.InstallFromHubAsync(source, revision, subfolder, name, progress, cancellation);
        }

        throw new ModelInstallException($"'{source}' is neither a folder, a zip file nor a Hub repository id (owner/name).");
    }

    private static async Task<InstalledModel> InstallZipAsync(ModelInstaller installer, string path, string? name, IProgress<ModelInstallProgress> progress, CancellationToken cancellation)
    {
        await using var zip = File.OpenRead(path);
        return await installer.InstallZipAsync(zip, Path.GetFileName(path), name, progress, cancellation);
    }

    private static void WriteTable(IReadOnlyList<InstalledModel> models, TextWriter output, string root)
    {
        if (models.Count == 0)
        {
            output.WriteLine($"no models in {root}");
            return;
        }

        string[] header = ["", "NAME", "SIZE", "PRECISION", "FAMILY", "MEMORY (native size)"];
        var rows = models.Select(m => new[]
        {
            m.IsDefault ? "*" : "",
            m.Name,
            JobMemoryAdmission.Size(m.SizeBytes),
            m.Precision ?? "?",
            m.FamilyName,
            m.MemoryEstimateBytes is { } memory ? $"{JobMemoryAdmission.Size(memory)} at {m.NativeSize}²" : m.Problem ?? "?",
        }).ToList();
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Prepend(h.Length).Max()).ToArray();
        foreach (var row in rows.Prepend(header))
        {
            output.WriteLine(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
        }

        foreach (var model in models.Where(m => m.CardProblem is not null))
        {
            output.WriteLine($"{model.Name}: {model.CardProblem}");
        }
    }

    /// <summary>A one-line bar on stderr, redrawn in place: [#####-----]  45%  12 MiB of 27 MiB  unet/model.onnx.</summary>
    private sealed class ProgressBar(TextWriter error) : IProgress<ModelInstallProgress>
    {
        private const int Width = 30;
        private int _drawn;

        public void Report(ModelInstallProgress value)
        {
            if (value.Finished)
            {
                return;
            }

            var filled = (int)(value.Fraction * Width);
            var line = string.Create(CultureInfo.InvariantCulture,
                $"[{new string('#', filled)}{new string('-', Width - filled)}] {value.Fraction * 100,3:0}%  {JobMemoryAdmission.Size(value.BytesDone)} of {JobMemoryAdmission.Size(value.BytesTotal)}  {value.Stage.ToString().ToLowerInvariant()} {value.File}");
            lock (this)
            {
                error.Write("\r" + line.PadRight(_drawn));
                _drawn = line.Length;
            }
        }

        public void Finish()
        {
            lock (this)
            {
                if (_drawn > 0)
                {
                    error.WriteLine();
                }
            }
        }
    }
}
