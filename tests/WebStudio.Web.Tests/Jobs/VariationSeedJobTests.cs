using WebStudio.Data;
using WebStudio.Studio.Engine;
using WebStudio.Studio.History;
using WebStudio.Studio.Jobs;
using WebStudio.Studio.Queue;
using WebStudio.Studio.Storage;
using WebStudio.Web.Engine;
using WebStudio.Web.History;

namespace WebStudio.Web.Tests.Jobs;

/// <summary>A1111's variation seed through the studio: the Generate form, the stored spec, each image's PNG parameters
/// (its own variation seed) and their import, which makes the same picture again.</summary>
[Trait("Capability", "StudioCore")]
public sealed class VariationSeedJobTests
{
    internal static readonly EngineModel Shapes = new("webstudio-shapes", 128, 128);

    internal static GenerationJob Stored(JobSpec spec)
    {
        var job = new GenerationJob { OwnerId = "alice", Width = 128, Height = 128 };
        JobSpecJson.Store(job, spec);
        return job;
    }

    private static JobSpec.Txt2Img Varied(long seed = 21, long variationSeed = 500, float strength = 0.25f, int batch = 4) => new()
    {
        Prompt = "a red circle", Model = "webstudio-shapes", Scheduler = "Euler a", Steps = 20, Seed = seed,
        Width = 128, Height = 128, BatchSize = batch, VariationSeed = variationSeed, VariationStrength = strength,
    };

    [Fact]
    public void Each_image_of_a_varied_batch_writes_its_own_variation_seed_and_the_import_makes_that_image_again()
    {
        var text = A1111Parameters.Format(Stored(Varied()), Varied(), 21, 128, 128, index: 2);

        Assert.EndsWith("Seed: 21, Size: 128x128, Model: webstudio-shapes, Variation seed: 502, Variation seed strength: 0.25", text);
        var (spec, notes) = ParametersImport.ToSpec(A1111ParameterParser.Parse(text), new JobSpec.Txt2Img { Model = "webstudio-shapes" }, [Shapes], ["Euler a"]);
        Assert.Empty(notes);
        Assert.Equal((21L, 502L, 0.25f), (spec.Seed, spec.VariationSeed!.Value, spec.VariationStrength));
        Assert.Equal(502L, spec.VariationSeedOf(0));
    }

    [Fact]
    public void Parameters_without_a_variation_clear_the_forms_and_an_unreadable_one_is_named()
    {
        var plain = A1111Parameters.Format(Stored(Varied(strength: 0f)), Varied(strength: 0f), 21, 128, 128, index: 1);
        Assert.DoesNotContain("Variation", plain);

        var (spec, notes) = ParametersImport.ToSpec(A1111ParameterParser.Parse(plain), Varied(), [Shapes], ["Euler a"]);
        Assert.Empty(notes);
        Assert.Equal((null, 0f), (spec.VariationSeed, spec.VariationStrength));

        var (bad, badNotes) = ParametersImport.ToSpec(A1111ParameterParser.Parse(plain + ", Variation seed: 7, Variation seed strength: 3"), Varied(), [Shapes], ["Euler a"]);
        Assert.Null(bad.VariationSeed);
        Assert.Contains(badNotes, n => n.Contains("variation seed \"7\" at strength \"3\""));
    }

    [Fact]
    public void The_forms_variations_keep_the_images_seed_and_blend_in_new_random_seeds()
    {
        var form = new GenerateFormModel { Prompt = "something else", Size = "128x128" };

        form.VariationsOf(Stored(Varied(seed: 30, strength: 0f, batch: 2)), seed: 31, count: 4);
        var spec = form.ToSpec();

        Assert.Equal(("a red circle", 31L, 4, -1L, GenerateFormModel.VariationsStrength), (spec.Prompt, spec.Seed, spec.BatchSize, spec.VariationSeed!.Value, spec.VariationStrength));
    }

    [Fact]
    public void A_rerun_of_a_varied_image_takes_its_own_variation_seed_and_a_strength_of_zero_sends_none()
    {
        var form = new GenerateFormModel { Size = "128x128" };

        form.RerunOf(Stored(Varied()), seed: 21, index: 3);
        Assert.Equal((21L, 1, 503L, 0.25f), (form.ToSpec().Seed, form.ToSpec().BatchSize, form.ToSpec().VariationSeed!.Value, form.ToSpec().VariationStrength));

        form.VariationStrength = 0f;
        Assert.Equal((null, 0f), (form.ToSpec().VariationSeed, form.ToSpec().VariationStrength));
    }

    [Theory]
    [InlineData(-5L)]
    [InlineData(SeedSource.MaxSeed)]
    public void A_variation_seed_out_of_range_is_refused_by_name(long variationSeed)
    {
        var problem = SeedSource.Check(Varied(variationSeed: variationSeed));

        Assert.Equal("variationSeed", problem?.Field);
        Assert.Null(SeedSource.Check(Varied(variationSeed: -1)));
    }

    [Fact]
    public void The_stored_spec_keeps_the_variation_and_a_plain_one_writes_none()
    {
        Assert.Equal(Varied(), JobSpecJson.Read(Stored(Varied())));
        Assert.DoesNotContain("variation", Stored(new JobSpec.Txt2Img { Prompt = "x" }).Spec, StringComparison.OrdinalIgnoreCase);
    }
}
