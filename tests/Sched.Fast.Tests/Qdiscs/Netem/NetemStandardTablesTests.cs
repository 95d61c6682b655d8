using Sched.Fast.Qdiscs.Netem;

namespace Sched.Fast.Tests.Qdiscs.Netem;

/// <summary>
/// The ports of iproute2's table generators (netem/normal.c, pareto.c, paretonormal.c, maketable.c) reproduce the
/// tables iproute2 ships, value for value.
/// </summary>
public sealed class NetemStandardTablesTests
{
    private static NetemDistributionTable Installed(string name)
    {
        string path = Path.Combine(NetemTestFiles.InstalledTables, name + ".dist");
        Assert.True(File.Exists(path), $"iproute2's {path} is needed for this comparison (Debian package iproute2)");
        Assert.True(NetemDistributionTable.TryParse(File.ReadAllText(path), path, out NetemDistributionTable? t, out string e), e);
        return t!;
    }

    private static void AssertSameTable(NetemDistributionTable expected, NetemDistributionTable actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++) Assert.True(expected[i] == actual[i], $"entry {i}: {expected[i]} expected, {actual[i]} generated");
    }

    [Fact]
    public void Normal_equals_the_installed_normal_dist() => AssertSameTable(Installed("normal"), NetemStandardTables.Normal);

    [Fact]
    public void Pareto_equals_the_installed_pareto_dist() => AssertSameTable(Installed("pareto"), NetemStandardTables.Pareto);

    [Fact]
    public void Paretonormal_equals_the_installed_paretonormal_dist() =>
        AssertSameTable(Installed("paretonormal"), NetemStandardTables.ParetoNormal);

    [Fact]
    public void Maketable_turns_the_experimental_samples_into_the_installed_experimental_dist()
    {
        double[] samples = File.ReadAllLines(NetemTestFiles.Fixture("experimental.dat"))
            .Where(l => l.Trim().Length > 0)
            .Select(l => double.Parse(l, System.Globalization.CultureInfo.InvariantCulture))
            .ToArray();
        AssertSameTable(Installed("experimental"), NetemTableMaker.FromSamples(samples));
    }

    [Fact]
    public void The_file_format_of_a_generated_table_is_the_one_iproute2_ships()
    {
        string installed = File.ReadAllText(Path.Combine(NetemTestFiles.InstalledTables, "pareto.dist"));
        Assert.Equal(installed, NetemStandardTables.Pareto.ToDistFile("pareto"));
    }

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(0.5, 0.5204998778130465)]
    [InlineData(1.0, 0.8427007929497149)]
    [InlineData(2.0, 0.9953222650189527)]
    [InlineData(3.5, 0.9999992569016276)]
    [InlineData(-1.5, -0.9661051464753108)]
    public void Erf_is_accurate_to_double_precision(double x, double expected) =>
        Assert.Equal(expected, NetemStandardTables.Erf(x), 1e-15);
}
