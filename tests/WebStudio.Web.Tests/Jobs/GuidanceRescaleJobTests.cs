using WebStudio.Studio.History;
using WebStudio.Studio.Jobs;
using WebStudio.Studio.Storage;
using WebStudio.Web.Engine;
using WebStudio.Web.History;

namespace WebStudio.Web.Tests.Jobs;

/// <summary>CFG rescale through the studio: the Generate form, the stored spec (left out at 0, as before there was
/// one), the PNG's parameters as A1111's CFG rescale extension writes them, and their import.</summary>
[Trait("Capability", "StudioCore")]
public sealed class GuidanceRescaleJobTests
{
    private static JobSpec.Txt2Img Spec(float rescale) => new()
    {
        Prompt = "a red circle", Model = "webstudio-shapes", Scheduler = "Euler a", Steps = 20, Guidance = 12f, Seed = 21,
        Width = 128, Height = 128, GuidanceRescale = rescale,
    };

    [Fact]
    public void The_forms_rescale_is_stored_written_into_the_parameters_and_read_back_into_the_form()
    {
        var form = new GenerateFormModel();
        form.CopyFrom(Spec(0.7f));
        var job = VariationSeedJobTests.Stored(form.ToSpec());

        Assert.Equal(0.7f, Assert.IsType<JobSpec.Txt2Img>(JobSpecJson.Read(job)).GuidanceRescale);
        var text = A1111Parameters.Format(job, 21, 128, 128);
        Assert.EndsWith("Model: webstudio-shapes, CFG Rescale phi: 0.7", text);

        var imported = new GenerateFormModel();
        Assert.Empty(ParametersImport.Apply(A1111ParameterParser.Parse(text), imported, [VariationSeedJobTests.Shapes], ["Euler a"]));
        Assert.Equal((0.7f, 12f), (imported.GuidanceRescale, imported.Guidance));
    }

    [Fact]
    public void Without_a_rescale_nothing_is_stored_or_written_and_an_import_clears_the_forms()
    {
        var job = VariationSeedJobTests.Stored(Spec(0f));
        Assert.DoesNotContain("GuidanceRescale", job.Spec, StringComparison.OrdinalIgnoreCase);
        var text = A1111Parameters.Format(job, 21, 128, 128);
        Assert.DoesNotContain("Rescale", text);

        var (spec, notes) = ParametersImport.ToSpec(A1111ParameterParser.Parse(text), Spec(0.7f), [VariationSeedJobTests.Shapes], ["Euler a"]);
        Assert.Empty(notes);
        Assert.Equal(0f, spec.GuidanceRescale);

        var (bad, badNotes) = ParametersImport.ToSpec(A1111ParameterParser.Parse(text + ", CFG Rescale phi: 2"), Spec(0.7f), [VariationSeedJobTests.Shapes], ["Euler a"]);
        Assert.Equal(0f, bad.GuidanceRescale);
        Assert.Contains(badNotes, n => n.Contains("CFG rescale \"2\""));
    }
}
