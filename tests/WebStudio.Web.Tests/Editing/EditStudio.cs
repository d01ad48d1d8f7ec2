using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Data;
using WebStudio.Studio.Engine;
using WebStudio.Web.Tests.Infrastructure;

namespace WebStudio.Web.Tests.Editing;

/// <summary>What an edit test starts from: a studio on its own folder, alice signed in, and a picture of hers uploaded
/// (<see cref="Source"/>). Disposing it stops the studio and disposes the engine it was given.</summary>
internal sealed class EditStudio : IAsyncDisposable
{
    private readonly TempFolder _folder;
    private readonly IDisposable? _engine;

    private EditStudio(TempFolder folder, IDisposable? engine, StudioHost factory, StudioUserClient alice, Image<Rgb24> picture, string source)
    {
        (_folder, _engine, Factory, Alice, Picture, Source) = (folder, engine, factory, alice, picture, source);
    }

    public StudioHost Factory { get; }

    public StudioUserClient Alice { get; }

    /// <summary>The picture alice uploaded.</summary>
    public Image<Rgb24> Picture { get; }

    /// <summary>Her upload as an edit's source ("upload:{id}").</summary>
    public string Source { get; }

    /// <param name="engine">Makes the engine the studio runs on, which the studio then owns; null for the scripted
    /// engine.</param>
    /// <param name="width">The uploaded picture's width.</param>
    /// <param name="height">Its height.</param>
    public static async Task<EditStudio> StartAsync(Func<IGenerationEngine>? engine = null, int width = 64, int height = 64)
    {
        var folder = new TempFolder();
        var made = engine?.Invoke();
        var factory = ScriptedStudio.Create(folder, made);
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");
        var picture = EditClient.Picture(width, height);
        var upload = await alice.UploadAsync(picture);
        return new EditStudio(folder, made as IDisposable, factory, alice, picture, upload.Source);
    }

    /// <summary>The job's row as stored, with its images.</summary>
    public Task<GenerationJob> StoredJobAsync(Guid jobId) => Factory.StoredJobAsync(jobId);

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        _engine?.Dispose();
        Picture.Dispose();
        _folder.Dispose();
    }
}
