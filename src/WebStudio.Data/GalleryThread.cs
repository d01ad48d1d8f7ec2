namespace WebStudio.Data;

/// <summary>A Refine thread placed in a gallery (issue 22): the gallery and its share page show the thread's turns in
/// order. One thread can sit in several galleries; deleting either side removes only the placement.</summary>
public sealed class GalleryThread
{
    public Guid GalleryId { get; set; }
    public Gallery? Gallery { get; set; }

    public Guid ThreadId { get; set; }
    public RefineThread? Thread { get; set; }

    /// <summary>Order among the gallery's threads (ascending).</summary>
    public int Position { get; set; }

    public DateTime AddedAt { get; set; } = DateTime.UtcNow;
}
