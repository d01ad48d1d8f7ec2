using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WebStudio.Data;
using WebStudio.Studio.Execution;
using WebStudio.Studio.Jobs;
using WebStudio.Web.Tests.Infrastructure;

namespace WebStudio.Web.Tests.Jobs;

/// <summary>The job specification: one closed set of kinds, each stored as versioned JSON and run by one executor.</summary>
[Trait("Capability", "StudioCore")]
public sealed class JobSpecTests
{
    /// <summary>Every kind, with a value in each of its own fields that differs from the default.</summary>
    public static TheoryData<JobSpec> Kinds() =>
    [
        new JobSpec.Txt2Img { Prompt = "a red circle", NegativePrompt = "blue", Model = "tiny", Scheduler = "DDIM", Steps = 9, Guidance = 5.5f, Seed = 42, BatchSize = 3, Width = 96, Height = 64 },
        new JobSpec.Img2Img { Prompt = "p", Seed = 1, Source = "image:0b0b7f3e-3f53-4a3a-9a57-1d2f3e4f5a6b", Strength = 0.35f },
        new JobSpec.Inpaint { Prompt = "p", Seed = 2, Source = "upload:0b0b7f3e-3f53-4a3a-9a57-1d2f3e4f5a6b", MaskId = Guid.NewGuid(), Strength = 0.9f, OnlyMasked = false, OnlyMaskedPadding = 12, MaskBlur = 9 },
        new JobSpec.Outpaint { Prompt = "p", Seed = 3, Source = "image:0b0b7f3e-3f53-4a3a-9a57-1d2f3e4f5a6b", Left = 8, Top = 16, Right = 24, Bottom = 32, MaskBlur = 0 },
        new JobSpec.HiresFix { Prompt = "p", Seed = 4, Source = "image:0b0b7f3e-3f53-4a3a-9a57-1d2f3e4f5a6b", Factor = 4, Strength = 0.2f },
        new JobSpec.InstructEdit { Prompt = "make it blue", Seed = 6, Source = "image:0b0b7f3e-3f53-4a3a-9a57-1d2f3e4f5a6b", Guidance = 5f, ImageGuidance = 1.2f, MaskId = Guid.NewGuid() },
        new JobSpec.Upscale { Seed = 5, Source = "upload:0b0b7f3e-3f53-4a3a-9a57-1d2f3e4f5a6b", Factor = 4, Upscaler = "x4" },
    ];

    private static IEnumerable<JobSpec> AllKinds() => ((IEnumerable<object[]>)Kinds()).Select(row => (JobSpec)row[0]);

    [Fact]
    public void The_kinds_listed_here_are_every_kind_there_is()
    {
        var declared = typeof(JobSpec).GetNestedTypes().Where(t => t.IsSubclassOf(typeof(JobSpec)) && !t.IsAbstract).ToHashSet();

        Assert.Equal(declared, AllKinds().Select(k => k.GetType()).ToHashSet());
        Assert.Equal(Enum.GetValues<JobKind>().ToHashSet(), AllKinds().Select(k => k.Kind).ToHashSet());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_spec_is_stored_and_read_back_whole(JobSpec spec)
    {
        var job = new GenerationJob();

        JobSpecJson.Store(job, spec);

        Assert.Equal(spec, JobSpecJson.Read(job));
        Assert.Equal((JobSpecJson.Version, spec.Kind, spec.Seed), (job.SpecVersion, job.Kind, job.Seed));
        Assert.StartsWith("{\"kind\":", job.Spec, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_kind_has_an_executor(JobSpec spec)
    {
        using var folder = new TempFolder();
        using var factory = ScriptedStudio.Create(folder);

        var executor = factory.Services.GetRequiredService<JobExecutors>().For(spec);

        Assert.IsType(spec is JobSpec.Upscale ? typeof(UpscaleRunner) : typeof(DiffusionExecutor), executor);
    }

    [Fact]
    public void A_row_of_another_version_or_of_no_spec_is_an_error_that_names_the_job()
    {
        var newer = new GenerationJob { SpecVersion = JobSpecJson.Version + 1, Spec = "{\"kind\":\"txt2img\"}" };
        var unknown = new GenerationJob { SpecVersion = JobSpecJson.Version, Spec = "{\"kind\":\"invert\"}" };
        var broken = new GenerationJob { SpecVersion = JobSpecJson.Version, Spec = "not json" };

        Assert.Contains(newer.Id.ToString(), Assert.Throws<InvalidDataException>(() => JobSpecJson.Read(newer)).Message);
        Assert.Contains(unknown.Id.ToString(), Assert.Throws<InvalidDataException>(() => JobSpecJson.Read(unknown)).Message);
        Assert.Contains(broken.Id.ToString(), Assert.Throws<InvalidDataException>(() => JobSpecJson.Read(broken)).Message);
    }

    [Fact]
    public void The_stored_json_names_each_field_once_in_camel_case()
    {
        var json = JobSpecJson.Serialize(new JobSpec.Inpaint { Prompt = "p", Source = "image:x" });

        using var document = JsonDocument.Parse(json);
        var names = document.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(names.Distinct().Count(), names.Count);
        Assert.Contains("onlyMaskedPadding", names);
        Assert.DoesNotContain("denoise", names);
    }
}
