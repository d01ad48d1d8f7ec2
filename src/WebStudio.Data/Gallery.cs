namespace WebStudio.Data;

/// <summary>A named, ordered collection of one user's images. Deleting it keeps the images.</summary>
public sealed class Gallery
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public string OwnerId { get; set; } = "";

    public string Name { get; set; } = "";

    public string Description { get; set; } = "";

    /// <summary>Order of the owner's galleries (ascending); reordering rewrites these.</summary>
    public int Position { get; set; }

    /// <summary>The image shown for the gallery; cleared when that image is deleted.</summary>
    public Guid? CoverImageId { get; set; }

    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;

    public DateTime UpdatedAt { get; set; } = DateTime.UtcNow;

    public List<GalleryItem> Items { get; set; } = [];

    public List<GalleryThread> Threads { get; set; } = [];
}
