using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using WebStudio.Studio.Options;

namespace WebStudio.Studio.Vocabulary;

/// <summary>
/// The model cards of the models folder, read when first asked for and again when the file changes (the prompt box
/// asks on every keystroke, so a read must be a dictionary look-up). A card that cannot be read is logged and treated
/// as absent: a broken card never stops a model from running.
/// </summary>
public sealed class ModelCards(IOptions<GenerationOptions> options, ILogger<ModelCards> logger)
{
    private readonly string _root = Path.GetFullPath(options.Value.ModelsPath);
    private readonly ConcurrentDictionary<string, Entry> _cache = new(StringComparer.Ordinal);

    /// <summary>The card of <paramref name="model"/>, or null when its folder has none.</summary>
    public LoadedCard? For(string? model) => IsPlainName(model) ? EntryFor(model!).Card : null;

    /// <summary>The generation defaults of <paramref name="model"/>: its card's, else those its folder implies (a Turbo
    /// model's 1 step at guidance 0), else null (the studio's apply).</summary>
    public ModelGenerationDefaults? DefaultsFor(string? model) =>
        IsPlainName(model) && EntryFor(model!) is var entry ? entry.Card?.Card.Defaults ?? entry.Implied : null;

    // Read again when the card changes, or when a folder without one appears or goes (a model installed or removed),
    // so that neither the prompt box's keystrokes nor the API's requests parse a file each time.
    private Entry EntryFor(string model)
    {
        var folder = Path.Combine(_root, model);
        var path = Path.Combine(folder, ModelCard.FileName);
        var stamp = File.Exists(path) ? File.GetLastWriteTimeUtc(path) : DateTime.MinValue;
        var exists = stamp != DateTime.MinValue || Directory.Exists(folder);
        if (_cache.TryGetValue(model, out var cached) && cached.Stamp == stamp && cached.FolderExists == exists)
        {
            return cached;
        }

        var card = stamp == DateTime.MinValue ? null : Read(path);
        var entry = new Entry(stamp, exists, card, card?.Card.Defaults is null && exists ? ImpliedModelDefaults.For(folder) : null);
        _cache[model] = entry;
        return entry;
    }

    private static bool IsPlainName(string? model) =>
        !string.IsNullOrEmpty(model) && model.IndexOfAny(['/', '\\']) < 0 && model is not "." and not "..";

    /// <summary>The words of <paramref name="prompt"/> that <paramref name="model"/> does not know; none when its card declares no vocabulary.</summary>
    public IReadOnlyList<string> UnknownWords(string? model, string? prompt) =>
        For(model) is { Known: { } known } card && !string.IsNullOrWhiteSpace(prompt) ? PromptVocabulary.UnknownWords(prompt, known, card.Card.Spelling) : [];

    private LoadedCard? Read(string path)
    {
        try
        {
            var card = ModelCard.Read(path);
            var known = card.Vocabulary is { } words ? words.Select(w => w.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal) : null;
            return new LoadedCard(card, known);
        }
        catch (Exception e) when (ModelCard.IsUnreadable(e))
        {
            logger.LogWarning("The model card {Path} cannot be read ({Error}); its model's prompts are not checked", path, e.Message);
            return null;
        }
    }

    private sealed record Entry(DateTime Stamp, bool FolderExists, LoadedCard? Card, ModelGenerationDefaults? Implied);
}

/// <summary>A card with its vocabulary as a set, for look-ups.</summary>
public sealed record LoadedCard(ModelCard Card, IReadOnlySet<string>? Known)
{
    public IReadOnlyList<string> Examples => Card.Examples;
}
