using System.Security.Cryptography;
using System.Text;
using WebStudio.ShapesWorld;
using WebStudio.ShapesWorld.Captions;
using WebStudio.Trainer.Tokenizer;

namespace WebStudio.Trainer.Tests;

/// <summary>The trainer tokenizes with the core's ClipTokenizer. The hashes were recorded with the trainer's own
/// BPE copy before it was deleted: the same vocabulary files and the same ids for thousands of prompts.</summary>
[Trait("Capability", "StudioCore")]
public sealed class CaptionTokenizerPinTests : IDisposable
{
    private const string FilesSha256 = "DD5A5474E99AE388EBE033A4ECBE8E88C96DF53BC34036A4C6E43A9985F20E55";
    private const string IdsSha256 = "D49DE1456C644ECDB15A361B294A159B4C65F9339DB0626539CD00DA7BAAEF43";

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("trainer-tokenizer-pin-");

    [Fact]
    public void The_generated_vocabulary_files_are_the_ones_the_old_BPE_built()
    {
        ShapesTokenizerFiles.Build(CaptionGrammar.Vocabulary).Write(_folder.FullName);
        var bytes = new[] { "vocab.json", "merges.txt", "tokenizer_config.json", "special_tokens_map.json" }
            .SelectMany(name => File.ReadAllBytes(Path.Combine(_folder.FullName, name))).ToArray();
        Assert.Equal(FilesSha256, Convert.ToHexString(SHA256.HashData(bytes)));
    }

    [Fact]
    public void Thousands_of_prompts_get_the_ids_the_old_BPE_gave()
    {
        var tokenizer = ShapesTokenizer.ForCaptionGrammar();
        var prompts = Prompts().ToList();
        Assert.True(prompts.Count > 5000);
        var ids = new StringBuilder();
        foreach (var prompt in prompts)
        {
            ids.AppendJoin(',', tokenizer.Encode(prompt)).Append('\n');
        }

        Assert.Equal(IdsSha256, Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(ids.ToString()))));
    }

    /// <summary>Training captions of every category, the evaluation suite, and prompts outside the caption grammar:
    /// unknown words, capitals, digits, punctuation, extra whitespace, accents and text too long for 77 tokens.</summary>
    private static IEnumerable<string> Prompts()
    {
        // The seven categories the hashes were recorded over (later categories change which category each index draws).
        var generator = new SceneGenerator(2024, WebStudio.ShapesWorld.Evaluation.EvalSuite.Categories.ToDictionary(c => c, _ => 1.0));
        for (var i = 0; i < 5000; i++)
        {
            yield return generator.Plan(i).Caption;
        }

        foreach (var prompt in WebStudio.ShapesWorld.Evaluation.EvalSuite.Default.Prompts)
        {
            yield return prompt.Prompt;
        }

        foreach (var word in CaptionGrammar.Vocabulary)
        {
            yield return word;
            yield return word.ToUpperInvariant() + "s!";
        }

        string[] odd =
        [
            "", " ", "A  Zebra-striped HEXAGON!", "the letter Q, 42 times", "two red circles; one BLUE square...",
            "café crème brûlée", "naïve 東京 tower", "it's a star's shadow, isn't it?", "x1y2z3 123456",
            "\ta\nred\r\ncircle  ", "emoji 🙂 ring", "don't we'll they're",
            string.Join(' ', Enumerable.Repeat("a big green triangle above a small purple ring", 12)),
        ];
        foreach (var prompt in odd)
        {
            yield return prompt;
        }
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
