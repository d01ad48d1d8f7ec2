using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WebStudio.Data;
using WebStudio.Studio.Editing;
using WebStudio.Studio.Engine;
using WebStudio.Studio.Jobs;
using WebStudio.Studio.Options;
using WebStudio.Studio.Queue;
using WebStudio.Studio.Team;
using WebStudio.Studio.Vocabulary;

namespace WebStudio.Studio.Refine;

/// <summary>
/// Refine conversations (issue 22): each turn is a job through the one queue (an instruction edit of its parent's
/// result, or a first text to image), recorded with its parent so that continuing from an earlier turn makes a
/// branch. A thread is its owner's alone: anyone else's id answers as a missing one.
/// </summary>
public sealed class RefineThreads(
    IDbContextFactory<StudioDbContext> dbFactory,
    EditSubmission edits,
    JobQueue queue,
    IGenerationEngine engine,
    IOptions<GenerationOptions> generation,
    TeamPolicies policies,
    ModelCards cards,
    TimeProvider time)
{
    public const int MaxTitle = 200;

    public async Task<IReadOnlyList<RefineThreadSummary>> ListAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        var userId = JobAccess.UserId(user);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // A thread whose every turn was deleted from History (or undone) is not listed: it has nothing left to show.
        var threads = await db.RefineThreads.AsNoTracking()
            .Where(t => t.OwnerId == userId && t.Turns.Any(u => u.UndoneAt == null && u.Job!.DeletedAt == null))
            .OrderByDescending(t => t.UpdatedAt)
            .Select(t => new
            {
                t.Id,
                t.Title,
                t.UpdatedAt,
                Turns = t.Turns.Count(u => u.UndoneAt == null && u.Job!.DeletedAt == null),
                Latest = t.Turns.Where(u => u.UndoneAt == null && u.Job!.DeletedAt == null).OrderByDescending(u => u.Number)
                    .SelectMany(u => u.Job!.Images.Where(i => i.DeletedAt == null).OrderBy(i => i.Index).Select(i => (Guid?)i.Id).Take(1)).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        return threads.Select(t => new RefineThreadSummary(t.Id, t.Title, t.UpdatedAt, t.Turns, t.Latest)).ToList();
    }

    public async Task<RefineThreadView?> GetAsync(Guid threadId, ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await ViewAsync(db, threadId, JobAccess.UserId(user), cancellationToken);
    }

    /// <summary>A new thread with its first turn: an edit of <see cref="RefineTurnRequest.SourceImageId"/>, or the
    /// prompt's text to image.</summary>
    public async Task<RefineOutcome> StartAsync(ClaimsPrincipal user, RefineTurnRequest request, CancellationToken cancellationToken = default)
    {
        var userId = JobAccess.UserId(user) ?? throw new InvalidOperationException("Refine needs a signed-in user.");
        if (Problem(request) is { } problem)
        {
            return Invalid("instruction", problem);
        }

        var outcome = request.SourceImageId is { } imageId
            ? await EditAsync(user, imageId, request, cancellationToken)
            : await queue.SubmitAsync(userId, await FirstPromptAsync(userId, request, cancellationToken), null, JobSource.Studio, cancellationToken);
        if (outcome.Job is not { } job)
        {
            return new RefineOutcome(null, null, outcome);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var thread = new RefineThread { OwnerId = userId, Title = Title(request.Instruction), CreatedAt = now, UpdatedAt = now };
        var turn = new RefineTurn { ThreadId = thread.Id, JobId = job.Id, SourceImageId = request.SourceImageId, Number = 1, CreatedAt = now };
        db.RefineThreads.Add(thread);
        db.RefineTurns.Add(turn);
        await db.SaveChangesAsync(cancellationToken);
        return await TurnOutcomeAsync(db, thread.Id, userId, turn.Id, cancellationToken);
    }

    /// <summary>An instruction edit of a turn's result (the latest live turn when none is named): a new turn, a
    /// branch when the parent already has one.</summary>
    public async Task<RefineOutcome> ContinueAsync(Guid threadId, ClaimsPrincipal user, RefineTurnRequest request, CancellationToken cancellationToken = default)
    {
        var userId = JobAccess.UserId(user);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var thread = await db.RefineThreads.AsNoTracking().FirstOrDefaultAsync(t => t.Id == threadId && t.OwnerId == userId, cancellationToken);
        if (thread is null)
        {
            return RefineOutcome.NotFound;
        }

        var live = db.RefineTurns.Where(t => t.ThreadId == threadId && t.UndoneAt == null && t.Job!.DeletedAt == null);
        var parent = request.ParentTurnId is { } parentId
            ? await live.Include(t => t.Job!.Images).FirstOrDefaultAsync(t => t.Id == parentId, cancellationToken)
            : await live.Include(t => t.Job!.Images).OrderByDescending(t => t.Number).FirstOrDefaultAsync(cancellationToken);
        if (parent is null)
        {
            return request.ParentTurnId is null ? Invalid("parentTurnId", "the thread has no turn left to continue from") : RefineOutcome.NotFound;
        }

        if (Problem(request) is { } problem)
        {
            return Invalid("instruction", problem);
        }

        if (parent.Job!.Images.Where(i => i.DeletedAt == null).OrderBy(i => i.Index).FirstOrDefault() is not { } result)
        {
            return new RefineOutcome(null, null, Conflict: parent.Job.Status is JobStatus.Queued or JobStatus.Running or JobStatus.Held
                ? "that turn is still being made; continue from it when it has finished"
                : "that turn has no picture to continue from (it failed or was canceled); continue from another turn");
        }

        var outcome = await EditAsync(user, result.Id, request, cancellationToken);
        if (outcome.Job is not { } job)
        {
            return new RefineOutcome(null, null, outcome);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var number = await db.RefineTurns.Where(t => t.ThreadId == threadId).MaxAsync(t => t.Number, cancellationToken) + 1;
        var turn = new RefineTurn { ThreadId = threadId, ParentId = parent.Id, JobId = job.Id, Number = number, CreatedAt = now };
        db.RefineTurns.Add(turn);
        await db.RefineThreads.Where(t => t.Id == threadId).ExecuteUpdateAsync(s => s.SetProperty(t => t.UpdatedAt, now), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return await TurnOutcomeAsync(db, threadId, userId, turn.Id, cancellationToken);
    }

    /// <summary>Undoes a turn that no live turn continues (the end of a branch): it leaves the thread, and its job
    /// stays in History. Nothing is deleted.</summary>
    public async Task<RefineOutcome> UndoAsync(Guid threadId, Guid turnId, ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        var userId = JobAccess.UserId(user);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var turn = await db.RefineTurns.FirstOrDefaultAsync(t => t.Id == turnId && t.ThreadId == threadId && t.UndoneAt == null && t.Thread!.OwnerId == userId, cancellationToken);
        if (turn is null)
        {
            return RefineOutcome.NotFound;
        }

        if (await db.RefineTurns.AnyAsync(t => t.ParentId == turnId && t.UndoneAt == null, cancellationToken))
        {
            return new RefineOutcome(null, null, Conflict: "later turns continue from this one: undo them first");
        }

        var now = time.GetUtcNow().UtcDateTime;
        turn.UndoneAt = now;
        await db.RefineThreads.Where(t => t.Id == threadId).ExecuteUpdateAsync(s => s.SetProperty(t => t.UpdatedAt, now), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return new RefineOutcome(await ViewAsync(db, threadId, userId, cancellationToken), null);
    }

    private async Task<SubmitOutcome> EditAsync(ClaimsPrincipal user, Guid imageId, RefineTurnRequest request, CancellationToken cancellationToken)
    {
        var model = request.Model ?? DefaultModel(instruction: true, await AllowsAsync(JobAccess.UserId(user), cancellationToken));
        if (model is null)
        {
            return new SubmitOutcome(null, SubmitRefusal.Invalid, [new FieldProblem("model", NoInstructionModel())]);
        }

        return await edits.SubmitAsync(user, new EditRequest
        {
            Operation = EditOperation.Instruct,
            Source = EditSource.FromImage(imageId).ToString(),
            Prompt = request.Instruction,
            Model = model,
            Scheduler = request.Scheduler,
            Steps = request.Steps,
            Seed = request.Seed,
            Guidance = request.TextGuidance,
            ImageGuidance = request.ImageGuidance,
            AutoMask = request.AutoMask,
        }, cancellationToken: cancellationToken);
    }

    private async Task<JobSpec.Txt2Img> FirstPromptAsync(string userId, RefineTurnRequest request, CancellationToken cancellationToken)
    {
        var model = request.Model ?? DefaultModel(instruction: false, await AllowsAsync(userId, cancellationToken))!;
        var settings = SettingsFor(model, instruction: false);
        return new()
        {
            Prompt = request.Instruction,
            Model = model,
            Scheduler = request.Scheduler ?? settings.Scheduler,
            Steps = request.Steps ?? settings.Steps,
            Seed = request.Seed,
            Guidance = request.TextGuidance ?? settings.Guidance,
        };
    }

    /// <summary>What a turn on <paramref name="model"/> runs at where its request leaves a setting out, and what the page
    /// shows for it: the model's own defaults (its card's, or a Turbo folder's 1 step at guidance 0), else an instruction
    /// edit's (<see cref="EditSettings.For"/>) or, for a first picture, text to image's.</summary>
    public EditSettings SettingsFor(string? model, bool instruction)
    {
        var defaults = cards.DefaultsFor(model);
        return instruction
            ? EditSettings.For(defaults, EditOperation.Instruct, denoise: 1f)
            : new EditSettings(defaults?.Sampler ?? TextDefaults.Scheduler, defaults?.Steps ?? TextDefaults.Steps, defaults?.Guidance ?? TextDefaults.Guidance);
    }

    private static readonly JobSpec.Txt2Img TextDefaults = new();

    private async Task<Func<string, bool>> AllowsAsync(string? userId, CancellationToken cancellationToken) =>
        userId is null ? _ => false : (await policies.ForUserAsync(userId, cancellationToken)).AllowsModel;

    /// <summary>The model a turn runs on when the request names none, among those the user's role may use
    /// (<see cref="TeamPolicy.AllowsModel"/>): the first instruction model (null: none is), or for a first prompt the
    /// configured default, else the first text-to-image model (else the configured name, which the queue refuses in words).</summary>
    public string? DefaultModel(bool instruction, Func<string, bool> allows) => DefaultModel(engine.Models(), instruction, allows);

    /// <summary>As <see cref="DefaultModel(bool, Func{string, bool})"/>, among <paramref name="models"/> as the caller
    /// read them once (the Refine page, once per visit rather than on every render).</summary>
    public string? DefaultModel(IReadOnlyList<EngineModel> models, bool instruction, Func<string, bool> allows) => instruction
        ? models.FirstOrDefault(m => m.EditsByInstruction && allows(m.Name))?.Name
        : InstructionModels.DefaultTextModel(models, generation.Value.DefaultModel, allows);

    /// <summary>Why no turn can change a picture for a role that <paramref name="allows"/> these
    /// <paramref name="models"/>, or null when an instruction model is there for it; the page says it before the user
    /// writes an instruction.</summary>
    public string? WhyNoInstructionModel(IReadOnlyList<EngineModel> models, Func<string, bool> allows) =>
        DefaultModel(models, instruction: true, allows) is null ? NoInstructionModel(models) : null;

    private string NoInstructionModel() => NoInstructionModel(engine.Models());

    private static string NoInstructionModel(IReadOnlyList<EngineModel> models) =>
        InstructionModels.First(models, editsByInstruction: true) is { } model
            ? $"your role may not use an instruction model (such as '{model.Name}'), which Refine's turns need; an administrator can allow one on the roles page"
            : "no instruction model is installed (an InstructPix2Pix-format folder under models/); Refine needs one for its turns";

    private static string? Problem(RefineTurnRequest request) =>
        string.IsNullOrWhiteSpace(request.Instruction) ? "write what to change (or, to start, what to draw)" : null;

    private static string Title(string text)
    {
        text = text.Trim();
        return text.Length <= MaxTitle ? text : text[..(MaxTitle - 1)] + "…";
    }

    private static RefineOutcome Invalid(string field, string message) =>
        new(null, null, new SubmitOutcome(null, SubmitRefusal.Invalid, [new FieldProblem(field, message)]));

    private static async Task<RefineOutcome> TurnOutcomeAsync(StudioDbContext db, Guid threadId, string? userId, Guid turnId, CancellationToken cancellationToken)
    {
        var view = await ViewAsync(db, threadId, userId, cancellationToken);
        return new RefineOutcome(view, view?.Turns.FirstOrDefault(t => t.Id == turnId));
    }

    private static async Task<RefineThreadView?> ViewAsync(StudioDbContext db, Guid threadId, string? userId, CancellationToken cancellationToken)
    {
        var thread = await db.RefineThreads.AsNoTracking().FirstOrDefaultAsync(t => t.Id == threadId && t.OwnerId == userId, cancellationToken);
        if (thread is null)
        {
            return null;
        }

        // The query filter leaves out turns whose job was deleted from History (it answers as a missing one).
        var turns = await db.RefineTurns.AsNoTracking().Where(t => t.ThreadId == threadId && t.UndoneAt == null && t.Job!.DeletedAt == null)
            .Include(t => t.Job!.Images).OrderBy(t => t.Number).ToListAsync(cancellationToken);
        var views = new Dictionary<Guid, RefineTurnView>();
        foreach (var turn in turns)
        {
            var input = turn.ParentId is { } parent && views.TryGetValue(parent, out var parentView) ? parentView.ImageId : turn.SourceImageId;
            views[turn.Id] = RefineTurnView.From(turn, turn.Job!, input);
        }

        return new RefineThreadView(thread.Id, thread.Title, thread.CreatedAt, thread.UpdatedAt, [.. views.Values]);
    }
}
