namespace Sched.Fast.Qdiscs.Netem;

/// <summary>
/// iproute2's generated distribution tables (netem/normal.c, pareto.c, paretonormal.c, from NISTnet), rebuilt by
/// the same arithmetic so they equal the shipped normal.dist, pareto.dist and paretonormal.dist value for value
/// (a test compares them with the installed files). Each is 4096 entries: a 16384-point inverse CDF sampled every
/// fourth point, scaled by <see cref="NetemDistributionTable.Scale"/> and clamped to 16 bits. Generated once, on
/// first use.
/// </summary>
public static class NetemStandardTables
{
    private const int TableSize = 16384;
    private const double ParetoShape = 3.0;

    private static readonly Lazy<NetemDistributionTable> s_normal = new(() => Generate(NormalValue));
    private static readonly Lazy<NetemDistributionTable> s_pareto = new(GeneratePareto);
    private static readonly Lazy<NetemDistributionTable> s_paretoNormal = new(() => Generate(ParetoNormalValue));

    /// <summary>normal.dist: the standard normal distribution.</summary>
    public static NetemDistributionTable Normal => s_normal.Value;

    /// <summary>pareto.dist: Pareto with shape 3, shifted to mean 0 (its tail is clamped at 4 standard units).</summary>
    public static NetemDistributionTable Pareto => s_pareto.Value;

    /// <summary>paretonormal.dist: 1/4 normal plus 3/4 Pareto, entry by entry.</summary>
    public static NetemDistributionTable ParetoNormal => s_paretoNormal.Value;

    /// <summary>The built-in table of that name, or null.</summary>
    public static NetemDistributionTable? Find(string name) => name switch
    {
        "normal" => Normal,
        "pareto" => Pareto,
        "paretonormal" => ParetoNormal,
        _ => null,
    };

    private static NetemDistributionTable Generate(Func<double[], int, int> valueAt)
    {
        double[] inverse = NormalInverseTable();
        var values = new short[TableSize / 4];
        for (int i = 0, n = 0; i < TableSize; i += 4, n++) values[n] = ClampToShort(valueAt(inverse, i));
        return NetemDistributionTable.FromValues(values);
    }

    /// <summary>
    /// normal.c: walks x from -10 to 10 in steps of 0.00005 (accumulated, as the C loop does) and records, for
    /// each table index rint(16384 * Phi(x)), the last x that maps to it.
    /// </summary>
    private static double[] NormalInverseTable()
    {
        var table = new double[TableSize + 1];
        for (double x = -10.0; x < 10.05; x += .00005)
        {
            int i = (int)Math.Round(TableSize * NormalCdf(x, 0.0, 1.0), MidpointRounding.ToEven);
            table[i] = x;
        }
        return table;
    }

    private static double NormalCdf(double x, double mu, double sigma) =>
        .5 + .5 * Erf((x - mu) / (Math.Sqrt(2.0) * sigma));

    private static int NormalValue(double[] inverse, int i) =>
        (int)Math.Round(inverse[i] * NetemDistributionTable.Scale, MidpointRounding.ToEven);

    /// <summary>paretonormal.c: (normal + 3 * pareto) / 4 with C's truncating integer division.</summary>
    private static int ParetoNormalValue(double[] inverse, int i) => (NormalValue(inverse, i) + 3 * ParetoValue(i)) / 4;

    /// <summary>paretonormal.c paretovalue(): the Pareto entry for normal-table index <paramref name="i"/>.</summary>
    private static int ParetoValue(int i) => ParetoAt(65536 - 4 * i);

    /// <summary>pareto.c: the inverse CDF at i/65536 for i = 65536, 65520, ..., 16.</summary>
    private static NetemDistributionTable GeneratePareto()
    {
        var values = new short[4096];
        for (int i = 65536, n = 0; i > 0; i -= 16, n++) values[n] = (short)ParetoAt(i);
        return NetemDistributionTable.FromValues(values);
    }

    private static int ParetoAt(int i)
    {
        double value = i / (double)65536;
        value = 1.0 / Math.Pow(value, 1.0 / ParetoShape);
        value -= 1.5;
        value *= 4.0 / 3.0 * NetemDistributionTable.Scale;
        if (value > 32767) value = 32767;
        return (int)Math.Round(value, MidpointRounding.ToEven);
    }

    private static short ClampToShort(int value) => (short)Math.Clamp(value, short.MinValue, short.MaxValue);

    /// <summary>
    /// The error function, to about 1e-15: erf(x) = 2/sqrt(pi) * exp(-x^2) * sum over n of
    /// 2^n x^(2n+1) / (1*3*5*...*(2n+1)). Every term is positive, so nothing cancels; the generators only need it
    /// on [-7.1, 7.1], where the sum converges in a few hundred terms. Beyond |x| = 6 the result is 1 to double
    /// precision.
    /// </summary>
    public static double Erf(double x)
    {
        double ax = Math.Abs(x);
        if (ax >= 6.0) return Math.Sign(x);
        double x2 = ax * ax;
        double term = ax;
        double sum = ax;
        for (int n = 1; n < 1000; n++)
        {
            term *= 2.0 * x2 / (2 * n + 1);
            sum += term;
            if (term < sum * 1e-17) break;
        }
        double result = 2.0 / Math.Sqrt(Math.PI) * Math.Exp(-x2) * sum;
        return x < 0 ? -result : result;
    }
}
