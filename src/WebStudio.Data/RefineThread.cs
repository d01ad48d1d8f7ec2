namespace WebStudio.Data;

/// <summary>
/// A Refine conversation (issue 22): turns of instruction edits, each starting from its parent's result. Going back
/// to a turn and continuing adds a sibling (a branch); nothing is overwritten. Stored with the history: a turn is a
/// job, whose prompt is the instruction and whose first image is the result.
/// </summary>
public sealed class RefineThread
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public string OwnerId { get; set; } = "";

    /// <summary>The first turn's prompt or instruction, for the list of threads.</summary>
    public string Title { get; set; } = "";

    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;

    /// <summary>When the last turn was added or undone, for ordering the list.</summary>
    public DateTime UpdatedAt { get; set; } = DateTime.UtcNow;

    public List<RefineTurn> Turns { get; set; } = [];
}

/// <summary>One turn of a <see cref="RefineThread"/>.</summary>
public sealed class RefineTurn
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid ThreadId { get; set; }
    public RefineThread? Thread { get; set; }

    /// <summary>The turn whose result this one changed; null for the first turn (a prompt's text to image, or an
    /// edit of <see cref="SourceImageId"/>).</summary>
    public Guid? ParentId { get; set; }

    /// <summary>A History image the first turn edited; null otherwise.</summary>
    public Guid? SourceImageId { get; set; }

    /// <summary>The job that made the turn: its prompt is the instruction, its first image the result.</summary>
    public Guid JobId { get; set; }
    public GenerationJob? Job { get; set; }

    /// <summary>Order within the thread (1, 2, …), across branches.</summary>
    public int Number { get; set; }

    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;

    /// <summary>Set by Undo: the turn is hidden (its job stays in History); Redo clears it.</summary>
    public DateTime? UndoneAt { get; set; }
}
