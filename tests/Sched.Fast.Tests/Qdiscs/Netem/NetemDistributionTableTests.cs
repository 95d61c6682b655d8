using Sched.Fast.Qdiscs.Netem;

namespace Sched.Fast.Tests.Qdiscs.Netem;

/// <summary>tc's distribution file format (q_netem.c get_distribution()) and where tc looks for the files.</summary>
public sealed class NetemDistributionTableTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("netem-dist-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static short[] Parse(string text)
    {
        Assert.True(NetemDistributionTable.TryParse(text, "t.dist", out NetemDistributionTable? t, out string error), error);
        return t!.Values.ToArray();
    }

    [Fact]
    public void Comment_and_empty_lines_are_skipped_and_numbers_are_read_in_order()
    {
        Assert.Equal(new short[] { -3, 4, 5, 6, 7 }, Parse("# title\n -3 4\n\n5 6 7\n"));
    }

    [Fact]
    public void Numbers_are_read_with_strtol_base_0_and_truncated_to_16_bits()
    {
        // 010 is octal 8, 0x10 is 16, 08 reads as 0 then 8; 70000 wraps as C's conversion to __s16 does.
        Assert.Equal(new short[] { 8, 16, 0, 8, unchecked((short)70000), -1 }, Parse("010 0x10 08 70000 -1\n"));
    }

    [Fact]
    public void A_line_stops_at_the_first_word_that_is_not_a_number()
    {
        Assert.Equal(new short[] { 1, 2, 9 }, Parse("1 2 x 3 4\n9\n"));
    }

    [Fact]
    public void More_than_16384_values_is_too_much_data()
    {
        string text = string.Join(' ', Enumerable.Repeat("1", NetemDistributionTable.MaxEntries + 1));
        Assert.False(NetemDistributionTable.TryParse(text, "/x/big.dist", out _, out string error));
        Assert.Equal("/x/big.dist: too much data", error);
        Assert.True(NetemDistributionTable.TryParse(string.Join(' ', Enumerable.Repeat("1", NetemDistributionTable.MaxEntries)), "ok", out _, out _));
    }

    [Fact]
    public void A_file_without_values_fails_silently_as_in_tc()
    {
        Assert.False(NetemDistributionTable.TryParse("# nothing\n", "e.dist", out NetemDistributionTable? t, out string error));
        Assert.Null(t);
        Assert.Equal("", error);
    }

    [Fact]
    public void A_custom_table_is_read_from_the_library_directory()
    {
        File.WriteAllText(Path.Combine(_dir, "mine.dist"), "# custom\n-8192 0 8192\n");
        Assert.True(NetemDistributionTable.TryLoad("mine", _dir, out NetemDistributionTable? t, out _));
        Assert.Equal(new short[] { -8192, 0, 8192 }, t!.Values.ToArray());
    }

    [Fact]
    public void A_missing_table_names_the_path_tc_tried()
    {
        Assert.False(NetemDistributionTable.TryLoad("uniform", _dir, out _, out string error));
        Assert.Equal($"No distribution data for uniform ({_dir}/uniform.dist: No such file or directory)", error);
    }

    [Fact]
    public void The_generated_tables_stand_in_when_the_file_is_missing()
    {
        Assert.True(NetemDistributionTable.TryLoad("pareto", _dir, out NetemDistributionTable? t, out _));
        Assert.Same(NetemStandardTables.Pareto, t);
    }

    [Fact]
    public void A_file_in_the_library_directory_wins_over_the_generated_table()
    {
        File.WriteAllText(Path.Combine(_dir, "normal.dist"), "1 2 3\n");
        Assert.True(NetemDistributionTable.TryLoad("normal", _dir, out NetemDistributionTable? t, out _));
        Assert.Equal(3, t!.Count);
    }

    [Fact]
    public void The_default_directory_is_iproute2s_unless_TC_LIB_DIR_is_set()
    {
        Assert.Null(Environment.GetEnvironmentVariable("TC_LIB_DIR"));
        Assert.Equal("/usr/lib/x86_64-linux-gnu/tc/", NetemDistributionTable.LibraryDirectory);
    }

    [Fact]
    public void Tables_are_equal_by_value_and_print_in_tc_file_format()
    {
        NetemDistributionTable a = NetemDistributionTable.FromValues([1, -2, 3]);
        NetemDistributionTable b = NetemDistributionTable.FromValues([1, -2, 3]);
        Assert.Equal(a, b);
        Assert.NotEqual(a, NetemDistributionTable.FromValues([1, -2, 4]));
        Assert.True(NetemDistributionTable.TryParse(a.ToDistFile("test"), "x", out NetemDistributionTable? again, out _));
        Assert.Equal(a, again);
    }
}
