namespace WebStudio.Generation.Tensors;

/// <summary>
/// Spherical interpolation of two noise samples (A1111's and InvokeAI's variations blend their seeds' noise so). A
/// straight blend of two independent samples shrinks the noise (half and half keeps 0.71 of its spread), and the
/// model, which expects noise of the scheduler's size, then draws a washed-out picture; along the great circle the
/// size stays that of the two samples.
/// </summary>
public static class NoiseBlend
{
    // Nearly parallel samples: sin(omega) is too small to divide by, and the straight blend is as good.
    private const double ParallelCosine = 0.9995;

    /// <summary>Replaces <paramref name="from"/> with the point a fraction <paramref name="t"/> of the way to
    /// <paramref name="to"/>: 0 leaves it, 1 makes it <paramref name="to"/>.</summary>
    public static void Slerp(Span<float> from, ReadOnlySpan<float> to, float t)
    {
        if (from.Length != to.Length)
        {
            throw new ArgumentException($"the samples differ in length ({from.Length} and {to.Length})", nameof(to));
        }

        double dot = 0, fromNorm = 0, toNorm = 0;
        for (var i = 0; i < from.Length; i++)
        {
            dot += (double)from[i] * to[i];
            fromNorm += (double)from[i] * from[i];
            toNorm += (double)to[i] * to[i];
        }

        var cosine = dot / Math.Sqrt(fromNorm * toNorm);
        double fromWeight, toWeight;
        if (!double.IsFinite(cosine) || Math.Abs(cosine) > ParallelCosine)
        {
            (fromWeight, toWeight) = (1 - t, t);
        }
        else
        {
            var omega = Math.Acos(cosine);
            var sine = Math.Sin(omega);
            (fromWeight, toWeight) = (Math.Sin((1 - t) * omega) / sine, Math.Sin(t * omega) / sine);
        }

        for (var i = 0; i < from.Length; i++)
        {
            from[i] = (float)(fromWeight * from[i] + toWeight * to[i]);
        }
    }
}
