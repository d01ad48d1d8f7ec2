namespace WebStudio.Generation.Tensors;

/// <summary>Standard-normal noise for a sampler's step (the ancestral and stochastic samplers add some at each one).</summary>
public interface INoiseSource
{
    /// <summary>The next <paramref name="count"/> values.</summary>
    float[] Next(int count);
}
