using WebStudio.Generation.Pipelines;

namespace WebStudio.Generation.Tests.Pipelines;

public class GenerationRequestValidatorTests
{
    private static readonly GenerationRequest Valid = new() { Prompt = "a red circle", Width = 128, Height = 128, Scheduler = "Euler" };

    [Fact]
    public void A_valid_request_has_no_problems() =>
        Assert.Empty(GenerationRequestValidator.Validate(Valid));

    [Theory]
    [InlineData(0, "steps must be between 1 and 150")]
    [InlineData(151, "steps must be between 1 and 150")]
    public void Steps_out_of_range_are_refused_with_a_message_naming_the_field(int steps, string message)
    {
        var problem = Assert.Single(GenerationRequestValidator.Validate(Valid with { Steps = steps }));
        Assert.Equal("steps", problem.Field);
        Assert.Equal(message, problem.Message);
    }

    [Theory]
    [InlineData(-0.5f)]
    [InlineData(30.5f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void Guidance_out_of_range_is_refused(float guidance) =>
        Assert.Equal("guidance", Assert.Single(GenerationRequestValidator.Validate(Valid with { Guidance = guidance })).Field);

    [Theory]
    [InlineData(-0.1f)]
    [InlineData(1.5f)]
    [InlineData(float.NaN)]
    public void A_CFG_rescale_outside_0_to_1_is_refused(float rescale)
    {
        var problem = Assert.Single(GenerationRequestValidator.Validate(Valid with { GuidanceRescale = rescale }));
        Assert.Equal("guidanceRescale", problem.Field);
        Assert.Equal("the CFG rescale must be between 0 (off) and 1, such as 0.7", problem.Message);
    }

    [Theory]
    [InlineData(56, 128, "width")]
    [InlineData(2056, 128, "width")]
    [InlineData(100, 128, "width")]
    [InlineData(128, 130, "height")]
    [InlineData(128, 0, "height")]
    public void Sizes_must_be_64_to_2048_in_multiples_of_8(int width, int height, string field)
    {
        var problem = Assert.Single(GenerationRequestValidator.Validate(Valid with { Width = width, Height = height }));
        Assert.Equal(field, problem.Field);
        Assert.Contains("multiples of 8", problem.Message);
    }

    [Fact]
    public void Prompts_longer_than_2000_characters_are_refused()
    {
        var problems = GenerationRequestValidator.Validate(Valid with { Prompt = new string('a', 2001), NegativePrompt = new string('b', 2001) });
        Assert.Equal(["prompt", "negativePrompt"], problems.Select(p => p.Field));
        Assert.Empty(GenerationRequestValidator.Validate(Valid with { Prompt = new string('a', 2000) }));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    public void Batch_size_must_be_1_to_8(int batch) =>
        Assert.Equal("batchSize", Assert.Single(GenerationRequestValidator.Validate(Valid with { BatchSize = batch })).Field);

    [Fact]
    public void An_unknown_scheduler_is_refused_with_the_valid_names()
    {
        var problem = Assert.Single(GenerationRequestValidator.Validate(Valid with { Scheduler = "Heun++" }));
        Assert.Equal("scheduler", problem.Field);
        Assert.Contains("Euler a", problem.Message);
    }

    [Fact]
    public void Every_bad_field_is_reported_at_once()
    {
        var problems = GenerationRequestValidator.Validate(new GenerationRequest { Steps = 0, Guidance = 99, Width = 7, Height = 7, BatchSize = 0, Scheduler = "x" });
        Assert.Equal(["steps", "guidance", "width", "height", "batchSize", "scheduler"], problems.Select(p => p.Field));
    }
}
