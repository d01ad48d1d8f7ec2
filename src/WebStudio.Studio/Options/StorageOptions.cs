namespace WebStudio.Studio.Options;

/// <summary>The "Storage" section of appsettings.json.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Folder of the finished PNGs; relative paths resolve against the current directory.</summary>
    public string ImagesPath { get; set; } = "./data/images";

    /// <summary>How long an image uploaded on the Edit page is kept. Queued jobs keep their own copy of their
    /// inputs, so only the Edit page's link to an old upload goes.</summary>
    public TimeSpan UploadRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How long a generation deleted from History can be restored (the Undo snackbar shows this long);
    /// after it, the deleted-generations sweep removes its rows and files.</summary>
    public TimeSpan DeleteUndoWindow { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How often the sweep looks for deleted generations whose undo window has passed.</summary>
    public TimeSpan DeleteSweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How old an image file that no image row names must be before the maintenance sweep removes it
    /// (<see cref="Storage.OrphanImageSweep"/>): well beyond any store's way from its file write to its commit.</summary>
    public TimeSpan OrphanImageGrace { get; set; } = TimeSpan.FromDays(1);
}
