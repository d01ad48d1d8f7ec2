namespace WebStudio.Data;

/// <summary>An image placed in a gallery; one image can sit in several galleries.</summary>
public sealed class GalleryItem
{
    public Guid GalleryId { get; set; }
    public Gallery? Gallery { get; set; }

    public Guid ImageId { get; set; }
    public GeneratedImage? Image { get; set; }

    /// <summary>Order inside the gallery (ascending).</summary>
    public int Position { get; set; }

    public DateTime AddedAt { get; set; } = DateTime.UtcNow;
}
