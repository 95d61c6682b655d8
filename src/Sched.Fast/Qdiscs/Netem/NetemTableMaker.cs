namespace Sched.Fast.Qdiscs.Netem;

/// <summary>
/// iproute2's netem/maketable.c: a custom distribution table from observed values (e.g. ping times), the way
/// experimental.dist was made. The values are normalised to mean 0 and standard deviation 1, binned on [-4, 4) in
/// steps of 1/50000, accumulated into a CDF, inverted into 4096 entries scaled by
/// <see cref="NetemDistributionTable.Scale"/>, and the holes are filled by linear interpolation. Write the result
/// with <see cref="NetemDistributionTable.ToDistFile"/> into TC_LIB_DIR and use it as <c>distribution NAME</c>.
/// </summary>
public static class NetemTableMaker
{
    private const int InverseSize = 16384 / 4;
    private const int MinShort = -32768;
    private const int MaxShort = 32767;
    // Entries are scaled by Scale and cannot exceed MaxShort, so the domain needs no more than 4 units each side.
    private const int Domain = MaxShort / NetemDistributionTable.Scale + 1;
    private const int Granularity = 50000;
    private const int BinCount = Domain * Granularity * 2;

    /// <summary>maketable's main(): the table for <paramref name="samples"/> (at least two values).</summary>
    public static NetemDistributionTable FromSamples(ReadOnlySpan<double> samples)
    {
        if (samples.Length < 2) throw new ArgumentException("at least two samples are needed", nameof(samples));
        (double mu, double sigma) = Moments(samples);
        int[] bins = Histogram(samples, mu, sigma);
        int total = 0;
        for (int i = 0; i < bins.Length; i++)
        {
            total += bins[i];
            bins[i] = total;
        }
        short[] inverse = Invert(bins, total);
        Interpolate(inverse);
        return NetemDistributionTable.FromValues(inverse);
    }

    /// <summary>arraystats(): mean and sample standard deviation, in maketable's arithmetic.</summary>
    private static (double Mu, double Sigma) Moments(ReadOnlySpan<double> x)
    {
        double sum = 0, sumSquares = 0;
        foreach (double v in x)
        {
            sumSquares += v * v;
            sum += v;
        }
        int n = x.Length;
        double mu = sum / n;
        double sigma = Math.Sqrt((sumSquares - n * mu * mu) / (n - 1));
        return (mu, sigma);
    }

    /// <summary>makedist(): counts of the normalised values per bin.</summary>
    private static int[] Histogram(ReadOnlySpan<double> x, double mu, double sigma)
    {
        var bins = new int[BinCount];
        foreach (double v in x)
        {
            double input = (v - mu) / sigma;
            int index = (int)Math.Round((input + Domain) * Granularity, MidpointRounding.ToEven);
            bins[Math.Clamp(index, 0, BinCount - 1)]++;
        }
        return bins;
    }

    /// <summary>inverttable(): for every bin, the table slot of its cumulative share gets the bin's value.</summary>
    private static short[] Invert(int[] cumulative, int total)
    {
        var inverse = new short[InverseSize];
        Array.Fill(inverse, (short)MinShort);
        for (int i = 0; i < cumulative.Length; i++)
        {
            double index = i / (double)Granularity - Domain;
            double share = cumulative[i] / (double)total;
            int slot = (int)Math.Round(share * InverseSize, MidpointRounding.ToEven);
            int value = (int)Math.Round(index * NetemDistributionTable.Scale, MidpointRounding.ToEven);
            if (value <= MinShort) value = MinShort + 1;
            if (value > MaxShort) value = MaxShort;
            if (slot >= InverseSize) slot = InverseSize - 1;
            inverse[slot] = (short)value;
        }
        return inverse;
    }

    /// <summary>interpolatetable(): fills the slots no bin reached, linearly between their neighbours.</summary>
    private static void Interpolate(short[] table)
    {
        int last = MinShort, lastIndex = -1;
        for (int i = 0; i < table.Length; i++)
        {
            if (table[i] != MinShort)
            {
                last = table[i];
                lastIndex = i;
                continue;
            }
            int j = i;
            while (j < table.Length && table[j] == MinShort) j++;
            table[i] = j < table.Length
                ? (short)(last + (i - lastIndex) * (table[j] - last) / (j - lastIndex))
                : (short)(last + (i - lastIndex) * (MaxShort - last) / (table.Length - lastIndex));
        }
    }
}
