namespace WebStudio.Data;

/// <summary>
/// A public link to a gallery or to one image. Only the SHA-256 hash of its token is stored, so a copy of the
/// database cannot be turned into working links.
/// </summary>
public sealed class ShareLink
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public string OwnerId { get; set; } = "";

    /// <summary>SHA-256 of the token's UTF-8 text (32 bytes).</summary>
    public byte[] TokenHash { get; set; } = [];

    /// <summary>Exactly one of <see cref="GalleryId"/> and <see cref="ImageId"/> is set.</summary>
    public Guid? GalleryId { get; set; }
    public Gallery? Gallery { get; set; }

    public Guid? ImageId { get; set; }
    public GeneratedImage? Image { get; set; }

    /// <summary>A note for the owner ("for Alice"), never shown on the public page.</summary>
    public string Label { get; set; } = "";

    /// <summary>When set, the public page leaves out prompts and the images are served without their parameters chunk.</summary>
    public bool HidePrompts { get; set; }

    public DateTime? ExpiresAt { get; set; }

    public DateTime? RevokedAt { get; set; }

    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
}
