using System.Text.RegularExpressions;
using WebStudio.Generation.Text;
using WebStudio.ShapesWorld.Captions;
using WebStudio.ShapesWorld.Editing;

namespace WebStudio.ShapesWorld.Tests;

/// <summary>Instructions are imperative paraphrases in the built-in model's words, and name their object unambiguously.</summary>
[Trait("Capability", "InstructEdit")]
public sealed partial class EditInstructionsTests
{
    private static readonly Lazy<IReadOnlyList<EditTriple>> Edits = new(() =>
        EditGenerator.Kinds.SelectMany(kind => Enumerable.Range(0, 300).Select(i => new EditGenerator(21).Plan(i, kind))).ToArray());

    [Fact]
    public void Instructions_use_only_caption_words_and_the_few_edit_words()
    {
        Assert.Empty(EditInstructions.EditWords.Intersect(CaptionGrammar.Vocabulary));
        Assert.True(EditInstructions.EditWords.Count <= 16, string.Join(" ", EditInstructions.EditWords));
        var used = Edits.Value.SelectMany(e => CaptionGrammar.Words(e.Instruction)).ToHashSet();
        Assert.All(used, word => Assert.Contains(word, EditInstructions.Vocabulary));
        // Every edit word is used, so the list says exactly what training will teach.
        Assert.All(EditInstructions.EditWords, word => Assert.Contains(word, used));
    }

    [Fact]
    public void Every_instruction_word_encodes_with_the_built_in_models_tokenizer()
    {
        var tokenizer = ClipTokenizer.FromFolder(Path.Combine(RepositoryFolders.Models, "webstudio-shapes", "tokenizer"));
        foreach (var word in EditInstructions.Vocabulary)
        {
            var ids = tokenizer.EncodeWithoutSpecials(word);
            Assert.NotEmpty(ids);
            Assert.DoesNotContain(tokenizer.EosId, ids);
        }
        Assert.All(Edits.Value, e => Assert.InRange(tokenizer.EncodeWithoutSpecials(e.Instruction).Count, 2, tokenizer.TextCapacity));
    }

    [Fact]
    public void Every_named_object_is_the_only_one_of_its_shape_or_of_its_shape_and_colour()
    {
        foreach (var edit in Edits.Value)
        {
            var names = NamedObject().Matches(edit.Instruction).ToList();
            if (edit.Kind is EditKind.Background or EditKind.Count || (edit.Kind == EditKind.Add && edit.Request.Relation is null))
            {
                Assert.Empty(names);
                continue;
            }
            var name = Assert.Single(names);
            var meant = edit.Input.Objects.Single(o => o.Group == (edit.Request.Target ?? edit.Request.Reference));
            var shape = PromptParser.Parse(name.Value).Groups.Single();
            var matching = edit.Input.Objects.Where(o => o.Shape == shape.Shape && (shape.Colour is null || o.Colour == shape.Colour)).ToList();
            Assert.True(matching.SequenceEqual([meant]), $"'{edit.Instruction}' does not single out the {meant.Colour} {meant.Shape}");
        }
    }

    [Theory]
    [InlineData(EditKind.Recolour, "^make the ([a-z]+ )?[a-z]+ [a-z]+$")]
    [InlineData(EditKind.Add, "^add an? ([a-z]+ )?[a-z]+ [a-z]+ on the left$")]
    [InlineData(EditKind.Remove, "^remove the ([a-z]+ )?[a-z]+$")]
    [InlineData(EditKind.Move, "^move the ([a-z]+ )?[a-z]+ to the top$")]
    [InlineData(EditKind.Background, "^change the background to [a-z]+$")]
    [InlineData(EditKind.Count, "^make it three [a-z]+s$")]
    [InlineData(EditKind.Replace, "^turn the ([a-z]+ )?[a-z]+ into a [a-z]+$")]
    public void Each_kind_is_said_several_ways_including_the_plain_imperative(EditKind kind, string plain)
    {
        var instructions = Edits.Value.Where(e => e.Kind == kind).Select(e => e.Instruction).ToList();
        Assert.Contains(instructions, i => Regex.IsMatch(i, plain));
        var openings = instructions.Select(i => string.Join(' ', i.Split(' ').Take(2))).Distinct().Count();
        Assert.True(openings >= 2, $"{kind}: only {openings} openings");
    }

    [GeneratedRegex(@"\bthe ((red|orange|yellow|green|blue|purple|pink|brown|white|gray|grey) )?(circle|square|triangle|star|ring)\b")]
    private static partial Regex NamedObject();
}
