using Microsoft.EntityFrameworkCore;
using WebStudio.Data;
using WebStudio.Generation.Pipelines;

namespace WebStudio.Studio.Styles;

/// <summary>
/// A user's saved prompt styles (A1111's Styles). Every call names the caller; a style of someone else is "not
/// found". Saving under a name the user already has replaces that style, as A1111's save does.
/// </summary>
public sealed class PromptStyleService(IDbContextFactory<StudioDbContext> dbFactory, TimeProvider time)
{
    public const int NameLimit = 100;
    /// <summary>As long as a job's prompt may be, so that a style fits the box it is applied to.</summary>
    public const int PromptLimit = GenerationRequest.MaxPromptLength;

    /// <summary>More than anyone picks from in a list; a limit, so that one account cannot fill the database.</summary>
    public const int StylesPerUser = 500;

    public async Task<IReadOnlyList<PromptStyleView>> ListAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var styles = await db.PromptStyles.AsNoTracking().Where(s => s.OwnerId == userId)
            .Select(s => new PromptStyleView(s.Id, s.Name, s.Prompt, s.NegativePrompt, s.UpdatedAt))
            .ToListAsync(cancellationToken);
        return [.. styles.OrderBy(s => s.Name, StringComparer.CurrentCultureIgnoreCase)];
    }

    /// <summary>Saves a new style (<c>Created</c>), or replaces the caller's style of that name.</summary>
    /// <exception cref="FieldValidationException">A field is empty, too long, or the user has too many styles.</exception>
    public async Task<(PromptStyleView Style, bool Created)> SaveAsync(string userId, string? name, string? prompt, string? negativePrompt, CancellationToken cancellationToken = default)
    {
        var (cleanName, cleanPrompt, cleanNegative) = Validate(name, prompt, negativePrompt);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var style = await db.PromptStyles.FirstOrDefaultAsync(s => s.OwnerId == userId && s.Name == cleanName, cancellationToken);
        var created = style is null;
        if (style is null)
        {
            if (await db.PromptStyles.CountAsync(s => s.OwnerId == userId, cancellationToken) >= StylesPerUser)
            {
                throw new FieldValidationException("name", $"you have {StylesPerUser} styles, the most one account keeps; delete one first");
            }

            style = new PromptStyle { OwnerId = userId, Name = cleanName, CreatedAt = now };
            db.PromptStyles.Add(style);
        }

        style.Prompt = cleanPrompt;
        style.NegativePrompt = cleanNegative;
        style.UpdatedAt = now;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException) when (created)
        {
            // Saved under the same name at the same moment elsewhere (another tab): that one stands.
            throw new FieldValidationException("name", $"a style called '{cleanName}' was just saved elsewhere; save again to replace it");
        }

        return (new PromptStyleView(style.Id, style.Name, style.Prompt, style.NegativePrompt, style.UpdatedAt), created);
    }

    public async Task<bool> DeleteAsync(string userId, Guid styleId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.PromptStyles.Where(s => s.Id == styleId && s.OwnerId == userId).ExecuteDeleteAsync(cancellationToken) == 1;
    }

    private static (string Name, string Prompt, string NegativePrompt) Validate(string? name, string? prompt, string? negativePrompt)
    {
        var cleanName = (name ?? "").Trim();
        var cleanPrompt = (prompt ?? "").Trim();
        var cleanNegative = (negativePrompt ?? "").Trim();
        if (cleanName.Length == 0)
        {
            throw new FieldValidationException("name", "the style needs a name");
        }

        if (cleanName.Length > NameLimit)
        {
            throw new FieldValidationException("name", $"the name can be at most {NameLimit} characters");
        }

        if (cleanPrompt.Length == 0 && cleanNegative.Length == 0)
        {
            throw new FieldValidationException("prompt", "the style needs a prompt or a negative prompt");
        }

        if (cleanPrompt.Length > PromptLimit)
        {
            throw new FieldValidationException("prompt", $"the prompt can be at most {PromptLimit} characters");
        }

        if (cleanNegative.Length > PromptLimit)
        {
            throw new FieldValidationException("negativePrompt", $"the negative prompt can be at most {PromptLimit} characters");
        }

        return (cleanName, cleanPrompt, cleanNegative);
    }
}
