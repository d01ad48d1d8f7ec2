using WebStudio.Data;
using WebStudio.Generation.Pipelines;
using WebStudio.Studio.Jobs;

namespace WebStudio.Studio.Refine;

/// <summary>
/// One turn of a Refine conversation as the page and POST /api/refine/threads send it. The first turn of a thread
/// is a prompt's text to image on a text-to-image model, or an edit of <see cref="SourceImageId"/> (a History
/// image); every later one is an instruction edit of <see cref="ParentTurnId"/>'s result (null: the thread's
/// latest turn). Null model: the first installed model of the kind the turn needs.
/// </summary>
public sealed record RefineTurnRequest
{
    /// <summary>The instruction ("make the circle blue"), or the first turn's prompt.</summary>
    public string Instruction { get; init; } = "";

    public Guid? ParentTurnId { get; init; }
    public Guid? SourceImageId { get; init; }
    public string? Model { get; init; }

    /// <summary>Null, as <see cref="Steps"/> and <see cref="TextGuidance"/>: the turn's model's own (its card's, or a
    /// Turbo folder's 1 step at guidance 0), else the studio's (<see cref="RefineThreads.SettingsFor"/>).</summary>
    public string? Scheduler { get; init; }

    public int? Steps { get; init; }

    /// <summary>-1 picks a random seed.</summary>
    public long Seed { get; init; } = -1;

    /// <summary>Text guidance (the CFG scale of a first prompt turn).</summary>
    public float? TextGuidance { get; init; }

    /// <summary>Null: the instruction model's own (its card's <c>imageGuidance</c>), else InstructPix2Pix's 1.5.</summary>
    public float? ImageGuidance { get; init; }

    /// <summary>As <see cref="Editing.EditRequest.AutoMask"/>: a threshold, 0 for off, null for the model's own.</summary>
    public float? AutoMask { get; init; }
}

/// <summary>A turn: its instruction, parameters, state and result (the job's first image).</summary>
public sealed record RefineTurnView(
    Guid Id,
    int Number,
    Guid? ParentId,
    Guid JobId,
    string Instruction,
    JobKind Kind,
    string Status,
    string Model,
    long Seed,
    int Steps,
    float TextGuidance,
    float? ImageGuidance,
    Guid? ImageId,
    Guid? SourceImageId)
{
    public string? ImageUrl => ImageId is { } id ? $"/api/images/{id}" : null;

    /// <summary>The picture this turn changed: its parent's result, or the History image it started from.</summary>
    public Guid? InputImageId { get; init; }

    /// <summary>An instruction turn's automatic-mask threshold, null where the model could redraw the whole picture.</summary>
    public float? AutoMask { get; init; }

    /// <summary>The sampler the turn ran with.</summary>
    public string? Scheduler { get; init; }

    internal static RefineTurnView From(RefineTurn turn, GenerationJob job, Guid? inputImageId)
    {
        var spec = JobSpecJson.Read(job);
        var image = job.Images.Where(i => i.DeletedAt == null).OrderBy(i => i.Index).FirstOrDefault();
        return new RefineTurnView(turn.Id, turn.Number, turn.ParentId, job.Id, job.Prompt, job.Kind, job.Status.ToString(), job.Model,
            job.Seed, job.Steps, job.Guidance, (spec as JobSpec.InstructEdit)?.ImageGuidance, image?.Id, turn.SourceImageId)
        {
            InputImageId = inputImageId,
            AutoMask = (spec as JobSpec.InstructEdit)?.AutoMask,
            Scheduler = (spec as JobSpec.Diffusion)?.Scheduler,
        };
    }
}

/// <summary>A thread and its live turns in the order they were made (branches interleaved; each names its parent).</summary>
public sealed record RefineThreadView(Guid Id, string Title, DateTime CreatedAt, DateTime UpdatedAt, IReadOnlyList<RefineTurnView> Turns);

/// <summary>A thread in the list of a user's threads.</summary>
public sealed record RefineThreadSummary(Guid Id, string Title, DateTime UpdatedAt, int Turns, Guid? LatestImageId);

/// <summary>What a start, continue or undo came to: the thread, or why not (none of them: not found).</summary>
public sealed record RefineOutcome(RefineThreadView? Thread, RefineTurnView? Turn, Queue.SubmitOutcome? Refused = null, string? Conflict = null)
{
    public static readonly RefineOutcome NotFound = new(null, null);
}
