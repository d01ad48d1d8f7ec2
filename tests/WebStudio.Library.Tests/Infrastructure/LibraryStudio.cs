using WebStudio.Testing.TinyModels;

namespace WebStudio.Library.Tests.Infrastructure;

/// <summary>The library tests' studio: in process on a folder of its own, running the real engine on the process-wide tiny model.</summary>
public static class LibraryStudio
{
    public static StudioHostOptions Options => new() { ModelsFolder = TinyModelFolders.Shared.ModelsPath, TinyModel = null };

    /// <summary>The thumbnail cache: a "thumbs" folder beside the images folder.</summary>
    public static string ThumbsPath(this StudioHost studio) => Path.Combine(studio.Folder, "thumbs");
}
