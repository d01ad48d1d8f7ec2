namespace WebStudio.Web.Options;

/// <summary>The "Storage" section of appsettings.json.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Folder of the finished PNGs; relative paths resolve against the current directory.</summary>
    public string ImagesPath { get; set; } = "./data/images";
}
