namespace WebStudio.Studio.Sharing;

/// <summary>What the owner asks for when sharing: exactly one of a gallery or an image.</summary>
public sealed record ShareRequest(Guid? GalleryId, Guid? ImageId, string? Label, bool HidePrompts, DateTime? ExpiresAt);

/// <summary>A link as its owner sees it in the list (never with the token: only its hash is kept).</summary>
public sealed record ShareLinkView(
    Guid Id, Guid? GalleryId, Guid? ImageId, string Label, bool HidePrompts, DateTime CreatedAt, DateTime? ExpiresAt, DateTime? RevokedAt, bool Active);

/// <summary>A new link: the one moment its token and URL path are known.</summary>
public sealed record CreatedShare(ShareLinkView Link, string Token)
{
    public string Path => $"/s/{Token}";
}

/// <summary>A live link, found by its token's hash.</summary>
public sealed record ResolvedShare(Guid LinkId, Guid? GalleryId, Guid? ImageId, bool HidePrompts);

/// <summary>The public page's content.</summary>
public sealed record SharedContent(string Title, string Description, bool HidePrompts, Guid? CoverImageId, IReadOnlyList<SharedImage> Images)
{
    /// <summary>A shared gallery's Refine threads, each with its turns in order.</summary>
    public IReadOnlyList<SharedThread> Threads { get; init; } = [];
}

/// <summary>A Refine thread on the public page: its title and instructions are null when the owner hid prompts.</summary>
public sealed record SharedThread(string? Title, Galleries.GalleryThreadStart? Start, IReadOnlyList<SharedTurn> Turns);

/// <summary>One finished turn of a shared thread.</summary>
public sealed record SharedTurn(
    int Number, int? ParentNumber, string? Instruction, Guid ImageId, int Width, int Height, long Seed, string Model, string Scheduler,
    int Steps, float TextGuidance, float? ImageGuidance)
{
    /// <summary>As <see cref="Galleries.GalleryTurn.AutoMask"/>.</summary>
    public float? AutoMask { get; init; }
}

/// <summary>One image on the public page; prompts are null when the owner hid them.</summary>
public sealed record SharedImage(
    Guid ImageId, int Width, int Height, long Seed, string? Prompt, string? NegativePrompt, string Model, string Scheduler, int Steps, float Guidance)
{
    /// <summary>Its size as <see cref="Storage.ImageResolution"/> words it (native size and any upscale).</summary>
    public string Resolution { get; init; } = $"{Width}×{Height}";

    /// <summary>What its PNG's "parameters" chunk says; null when the owner hid the prompts, or its spec cannot be read.</summary>
    public string? Parameters { get; init; }
}
