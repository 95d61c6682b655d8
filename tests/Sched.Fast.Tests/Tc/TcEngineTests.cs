using Sched.Fast.Tc;
using Sched.Fast.Tc.Commands;
using Sched.Fast.Tc.Output;

namespace Sched.Fast.Tests.Tc;

/// <summary>tc.c main() and do_batch(): options, batches, -force, exit statuses.</summary>
public sealed class TcEngineTests
{
    private static TcRunResult Batch(string text, bool force = false)
    {
        TcEngine tc = TcOffline.Create();
        return tc.RunBatch(new StringReader(text), "b.tc", TcPrintOptions.Default, force);
    }

    [Fact]
    public void A_failing_line_stops_the_batch_and_names_its_line()
    {
        TcRunResult r = Batch("qdisc add dev t0 root pfifo\n\n# comment\nqdisc add dev t0 root pfifo\nqdisc show\n");
        Assert.Equal((1, "Error: Exclusivity flag on, cannot modify.\nCommand failed b.tc:4\n"),
            (r.ExitCode, r.Output.Combined));
    }

    [Fact]
    public void Force_runs_the_rest_and_still_fails()
    {
        TcRunResult r = Batch("qdisc add dev t0 root pfifo\nqdisc add dev t0 root pfifo\nqdisc show dev t0\n", force: true);
        Assert.Equal((1, "Error: Exclusivity flag on, cannot modify.\nCommand failed b.tc:2\n" +
                         "qdisc pfifo 8001: root refcnt 2 limit 1000p\n"), (r.ExitCode, r.Output.Combined));
    }

    [Fact]
    public void An_exit_in_tc_ends_the_batch_even_with_force()
    {
        TcRunResult r = Batch("qdisc add dev t0 handle x: root pfifo\nqdisc add dev t1 root pfifo\n", force: true);
        Assert.Equal((255, "Error: argument \"x:\" is wrong: invalid qdisc ID\n"), (r.ExitCode, r.Output.Combined));
    }

    [Fact]
    public void Line_numbers_count_continuation_lines()
    {
        TcRunResult r = Batch("qdisc add dev t0 \\\n root pfifo\nqdisc add dev t0 \\\n root \\\n pfifo\n");
        Assert.EndsWith("Command failed b.tc:5\n", r.Output.Combined);
    }

    [Fact]
    public void Statics_last_for_the_batch_but_not_beyond()
    {
        TcEngine tc = TcOffline.Create();
        tc.Run(["qdisc", "add", "dev", "t0", "root", "pfifo"]);
        tc.Run(["qdisc", "add", "dev", "t1", "root", "bfifo"]);
        TcRunResult batch = tc.RunBatch(new StringReader("qdisc show dev t0\nqdisc show\n"), "b", TcPrintOptions.Default, false);
        Assert.Equal("qdisc pfifo 8001: root refcnt 2 limit 1000p\nqdisc pfifo 8001: root refcnt 2 limit 1000p\n",
            batch.Stdout);
        Assert.Equal("qdisc bfifo 8002: dev t1 root refcnt 2 limit 1514000b\nqdisc pfifo 8001: dev t0 root refcnt 2 limit 1000p\n",
            tc.Run(["qdisc", "show"]).Stdout);
    }

    [Fact]
    public void Options_are_matched_by_prefix_like_tc()
    {
        TcEngine tc = TcOffline.Create();
        tc.Run(["qdisc", "add", "dev", "t0", "root", "pfifo"]);
        Assert.Equal("[{\"kind\":\"pfifo\",\"handle\":\"8001:\",\"root\":true,\"refcnt\":2,\"options\":{\"limit\":1000}}]\n",
            tc.Run(["-j", "q", "s", "dev", "t0"]).Stdout);
        Assert.Contains("Sent 0 bytes", tc.Run(["-stat", "qdisc", "ls", "dev", "t0"]).Stdout);
        Assert.Equal(0, tc.Run(["-V"]).ExitCode);
        Assert.Equal((0, ""), (tc.Run([]).ExitCode, tc.Run([]).Stdout));
    }

    [Fact]
    public void A_batch_can_come_from_stdin()
    {
        TcEngine tc = TcOffline.Create();
        TcRunResult r = tc.Run(["-b", "-"], _ => throw new FileNotFoundException(), new StringReader("qdisc add dev t0 root pfifo limit 3\nqdisc show dev t0\n"));
        Assert.Equal("qdisc pfifo 8001: root refcnt 2 limit 3p\n", r.Stdout);
    }

    [Fact]
    public void Batch_file_arguments_are_found_for_the_client()
    {
        Assert.Equal(["f.tc"], TcEngine.BatchFileArguments(["-s", "-force", "-b", "f.tc"]));
        Assert.Equal(["g"], TcEngine.BatchFileArguments(["-batch", "g"]));
        Assert.Empty(TcEngine.BatchFileArguments(["qdisc", "-b", "x"]));
    }
}
