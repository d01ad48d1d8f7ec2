namespace WebStudio.Generation.Schedulers;

/// <summary>
/// Five-point Gauss–Legendre quadrature: exact for polynomials up to degree 9, so it integrates the
/// LMS Lagrange basis (degree ≤ 3) exactly where diffusers calls scipy's adaptive quad.
/// </summary>
internal static class GaussLegendre
{
    private static readonly double[] Nodes =
    [
        0.0,
        -0.5384693101056831, 0.5384693101056831,
        -0.9061798459386640, 0.9061798459386640,
    ];

    private static readonly double[] Weights =
    [
        0.5688888888888889,
        0.4786286704993665, 0.4786286704993665,
        0.2369268850561891, 0.2369268850561891,
    ];

    public static double Integrate(Func<double, double> f, double from, double to)
    {
        var half = (to - from) / 2;
        var mid = (to + from) / 2;
        var sum = 0.0;
        for (var i = 0; i < Nodes.Length; i++)
        {
            sum += Weights[i] * f(mid + half * Nodes[i]);
        }

        return sum * half;
    }
}
