using WebStudio.Generation.Pipelines;
using WebStudio.Testing.BuiltInFigures;
using Xunit.Abstractions;

namespace WebStudio.BuiltInModel.Tests;

/// <summary>
/// The Edit page's inpaint defaults ("Only masked", 28 px of context at 128², strength 0.75, Euler a) on the issue's
/// cases, 20 scenes each (issue 20, defect 4). A whole-picture prompt ("a yellow star above a blue square" over the
/// masked red circle) draws only the new object in the mask: 20 and 19 of 20 measured, against 3 and 3 at the old
/// 8 px. A prompt that names only the new object ("a yellow star") works at the 8 px the hint offers: 16 and 17.
/// </summary>
[Trait("Capability", "StudioUx")]
[Collection(ShippedModelCollection.Name)]
public sealed class ShippedModelInpaintDefaultsTests(ShippedModel shipped, ITestOutputHelper output)
{
    private const int Scenes = 20;
    private const float EditPageStrength = 0.75f;

    public static TheoryData<string> Scenarios => new([InpaintModes.ReplaceTheCircle.Name, InpaintModes.AddToACorner.Name]);

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task A_whole_picture_prompt_puts_only_the_new_object_in_the_mask_at_the_default_padding(string name)
    {
        var padding = GenerationRequest.DefaultOnlyMaskedPadding(InpaintModes.Size, InpaintModes.Size);
        var row = await MeasureAsync(name, InpaintArea.OnlyMasked(padding), newObjectPrompt: false);
        Assert.True(row.Hits >= 16, $"{name}: {row.Hits} of {row.Total} with {row.Area}; expected at least 16");
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task A_prompt_naming_only_the_new_object_works_at_the_small_padding_the_hint_offers(string name)
    {
        var row = await MeasureAsync(name, InpaintArea.OnlyMasked(InpaintModes.Size / 16), newObjectPrompt: true);
        Assert.True(row.Hits >= 13, $"{name}: {row.Hits} of {row.Total} with {row.Area}; expected at least 13");
    }

    private async Task<InpaintRow> MeasureAsync(string name, InpaintArea area, bool newObjectPrompt)
    {
        var scenario = new[] { InpaintModes.ReplaceTheCircle, InpaintModes.AddToACorner }.Single(s => s.Name == name);
        var row = (await InpaintModes.MeasureAsync(shipped.Pipeline, scenario, Scenes, [area], [EditPageStrength], [newObjectPrompt])).Single();
        output.WriteLine($"{name}, {(newObjectPrompt ? scenario.NewObjectPrompt : scenario.WholePrompt)}, {area}: {row.Hits} of {row.Total}");
        return row;
    }
}
