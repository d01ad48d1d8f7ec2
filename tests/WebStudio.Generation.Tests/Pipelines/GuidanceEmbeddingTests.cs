using WebStudio.Generation.Pipelines;

namespace WebStudio.Generation.Tests.Pipelines;

public class GuidanceEmbeddingTests
{
    [Fact]
    public void Follows_the_LCM_formula_term_by_term()
    {
        const float g = 8f;
        var embedding = GuidanceEmbedding.Create(g, 256);
        Assert.Equal(256, embedding.Length);
        var w = (g - 1) * 1000.0;
        foreach (var k in new[] { 0, 1, 17, 127 })
        {
            var f = Math.Exp(-Math.Log(10000) / 127 * k);
            Assert.Equal(Math.Sin(w * f), embedding[k], 3);
            Assert.Equal(Math.Cos(w * f), embedding[128 + k], 3);
        }
    }

    [Fact]
    public void Guidance_one_embeds_as_zero_sines_and_unit_cosines()
    {
        var embedding = GuidanceEmbedding.Create(1f, 256);
        Assert.All(embedding.Take(128), v => Assert.Equal(0f, v));
        Assert.All(embedding.Skip(128), v => Assert.Equal(1f, v));
    }
}
