using System.Diagnostics;
using Bpf.Native.Execution;
using Bpf.Native.Maps;
using Forwarder.Cli;
using Forwarder.Tests.EndToEnd;

namespace Forwarder.Tests.Bpf;

/// <summary>
/// <c>forwarder bpf</c> as users call it: run's output and errors as bpftool prints them, maps pinned with
/// --pin-maps shared by consecutive runs and read with map dump/lookup/update/delete, prog dump and verify, and the
/// conformance plugin through the real binary.
/// </summary>
public sealed class BpfCliTests : IDisposable
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), "bpftc-cli-" + Guid.NewGuid().ToString("N"));

    public BpfCliTests()
    {
        Directory.CreateDirectory(_work);
        File.WriteAllBytes(Path.Combine(_work, "pkt.bin"), Frame(tos: 0x2c));
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private static byte[] Frame(byte tos)
    {
        var f = new byte[54];
        f[12] = 0x08;
        f[14] = 0x45;
        f[15] = tos;
        f[17] = 40;
        f[23] = 6;
        return f;
    }

    private static (int Status, string Out, string Err) Cli(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int status = args[0] switch
        {
            "run" => BpfRunCommand.Run(args[1], Arg(args, "--section"), Arg(args, "--data-in")!, Arg(args, "--data-out"),
                Arg(args, "--ctx-in"), Arg(args, "--ctx-out"), uint.Parse(Arg(args, "--repeat") ?? "1"),
                Arg(args, "--engine") == "interpreter" ? EngineKind.Interpreter : EngineKind.Jit,
                Arg(args, "--pin-maps"), args.Contains("-j"), stdout, stderr),
            "dump" => BpfProgCommands.Dump(args[1], Arg(args, "--section"), args.Contains("--translated"), stdout, stderr),
            "verify" => BpfProgCommands.Verify(args[1], Arg(args, "--section"), stdout, stderr),
            _ => throw new ArgumentException(args[0]),
        };
        return (status, stdout.ToString(), stderr.ToString());
    }

    private static string? Arg(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 ? args[i + 1] : null;
    }

    [Fact]
    public void Run_prints_the_return_value_as_bpftool_does()
    {
        string pkt = Path.Combine(_work, "pkt.bin");
        var (status, output, _) = Cli("run", BpfFixtureObjects.Path("cls.o"), "--section", "classify", "--data-in", pkt);
        Assert.Equal(0, status);
        Assert.Matches(@"^Return value: 134217772, duration: \d+ns\n$", output);
        (_, output, _) = Cli("run", BpfFixtureObjects.Path("cls.o"), "--data-in", pkt, "--repeat", "1000");
        Assert.Matches(@"^Return value: 134217772, duration \(average\): \d+ns\n$", output);
        (_, output, _) = Cli("run", BpfFixtureObjects.Path("cls.o"), "--data-in", pkt, "-j");
        Assert.Matches(@"^\{""retval"":134217772,""duration"":\d+\}\n$", output);
    }

    [Fact]
    public void Run_refuses_what_the_kernel_refuses()
    {
        string shortFrame = Path.Combine(_work, "short.bin");
        File.WriteAllBytes(shortFrame, new byte[10]);
        var (status, _, error) = Cli("run", BpfFixtureObjects.Path("cls.o"), "--data-in", shortFrame);
        Assert.Equal(234, status);
        Assert.Equal("Error: failed to run program: Invalid argument\n", error);

        string badContext = Path.Combine(_work, "bad.ctx");
        var ctx = new byte[192];
        ctx[4] = 1; // pkt_type may not be set
        File.WriteAllBytes(badContext, ctx);
        (status, _, error) = Cli("run", BpfFixtureObjects.Path("cls.o"), "--data-in", Path.Combine(_work, "pkt.bin"), "--ctx-in", badContext);
        Assert.Equal(234, status);
        Assert.Equal("Error: failed to run program: Invalid argument\n", error);
    }

    [Fact]
    public void Data_out_to_stdout_is_bpftools_hex_dump()
    {
        var (_, output, _) = Cli("run", BpfFixtureObjects.Path("cls.o"), "--data-in", Path.Combine(_work, "pkt.bin"), "--data-out", "-");
        Assert.StartsWith(
            "0000000\t0000 0000 0000 0000 0000 0000 0800 452c | ........ ......E,\n" +
            "0000010\t0028 0000 0000 0006 0000 0000 0000 0000 | .(...... ........\n" +
            "0000020\t0000 0000 0000 0000 0000 0000 0000 0000 | ........ ........\n" +
            "0000030\t0000 0000 0000                          | ......\n" +
            "Return value: 134217772, duration: ", output);
    }

    [Fact]
    public void Pinned_maps_are_shared_by_runs_and_read_by_the_map_commands()
    {
        string pins = Path.Combine(_work, "pins");
        string obj = BpfFixtureObjects.Path("helpers.o");
        string ctx = Path.Combine(_work, "mark.ctx");
        var context = new byte[192];
        context[8] = 5; // mark 5 is the counter's key
        File.WriteAllBytes(ctx, context);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(0, Cli("run", obj, "--section", "h_map_counts", "--data-in", Path.Combine(_work, "pkt.bin"), "--ctx-in", ctx, "--pin-maps", pins).Status);
        }
        string counters = Path.Combine(pins, "counters");
        Assert.Equal("key: 05 00 00 00  value: 03 00 00 00 00 00 00 00\nFound 1 element\n", MapCommand("dump", counters));
        Assert.Equal("[{\"key\":[\"0x05\",\"0x00\",\"0x00\",\"0x00\"],\"value\":[\"0x03\",\"0x00\",\"0x00\",\"0x00\",\"0x00\",\"0x00\",\"0x00\",\"0x00\"]}]\n",
            MapCommand("dump", counters, json: true));
        Assert.Equal("", MapCommand("update", counters, words: ["key", "7", "0", "0", "0", "value", "hex", "ff", "0", "0", "0", "0", "0", "0", "1"]));
        Assert.Equal("key: 07 00 00 00  value: ff 00 00 00 00 00 00 01\n", MapCommand("lookup", counters, words: ["key", "7", "0", "0", "0"]));
        Assert.Equal("", MapCommand("delete", counters, words: ["key", "5", "0", "0", "0"]));
        Assert.Equal("key:\n05 00 00 00\n\nNot found\n", MapCommand("lookup", counters, words: ["key", "5", "0", "0", "0"]));
        Assert.Equal("key: 07 00 00 00  value: ff 00 00 00 00 00 00 01\nFound 1 element\n", MapCommand("dump", counters));
    }

    private static string MapCommand(string command, string path, bool json = false, string[]? words = null)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        using var map = MapPinStore.Open(path);
        _ = command switch
        {
            "dump" => BpfMapCommands.DumpMap(map, json, stdout),
            "lookup" => BpfMapCommands.LookupMap(map, words!, json, stdout, stderr),
            "update" => BpfMapCommands.UpdateMap(map, words!, stderr),
            _ => BpfMapCommands.DeleteMap(map, words!, stderr),
        };
        return stdout.ToString() + stderr.ToString();
    }

    [Fact]
    public void Prog_dump_and_verify_describe_the_program()
    {
        var (status, output, _) = Cli("dump", BpfFixtureObjects.Path("cls.o"));
        Assert.Equal(0, status);
        Assert.Equal("cls_main: section classify, 4 instructions\n   0: r6 = r1\n   1: r0 = *(u8 *)skb[15]\n   2: r0 |= 134217728\n   3: exit\n", output);
        (status, output, _) = Cli("verify", BpfFixtureObjects.Path("parser.o"));
        Assert.Equal(0, status);
        // The kernel's level-1 log of an accepted program is its statistics line.
        Assert.Matches(@"^processed \d+ insns \(limit 1000000\) max_states_per_insn \d+ total_states \d+ peak_states \d+ mark_read 0\nparse: verified, ", output);
        (status, _, string error) = Cli("verify", BpfFixtureObjects.Path("cls.o"), "--section", "nosuch");
        Assert.Equal(1, status);
        Assert.Equal("Error: object file doesn't contain sec nosuch\n", error);
    }

    [Fact]
    public void Verify_prints_the_verifiers_log_of_a_rejected_program()
    {
        var (status, _, error) = Cli("verify", VerifierCase("reject_packet_off_by_one"));
        Assert.Equal(1, status);
        // The failing path instruction by instruction with register states, then the kernel's reason.
        Assert.Contains("4: (2d) if r2 > r1 goto pc+1", error);
        Assert.Contains("invalid access to packet, off=33 size=1, R2(id=0,off=33,r=33)\nR2 offset is outside of the packet\n", error);
        Assert.EndsWith("Error: failed to load program: the verifier rejected it (Permission denied)\n", error);
    }

    [Fact]
    public void A_gpl_only_helper_from_an_object_that_is_not_gpl_is_refused_as_the_kernel_refuses_it()
    {
        var (status, _, error) = Cli("verify", VerifierCase("reject_gpl_only_helper"));
        Assert.Equal(1, status);
        Assert.Contains("cannot call GPL-restricted function from non-GPL compatible program\n", error);
    }

    /// <summary>One of the verifier's C cases (tests/Bpf.Native.Tests/Fixtures/verifier/cases), built into the work folder.</summary>
    private string VerifierCase(string name)
    {
        string cases = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "Bpf.Native.Tests", "Fixtures", "verifier", "cases");
        string obj = Path.Combine(_work, name + ".o");
        BpfFixtureObjects.Shell($"clang -O2 -g -target bpf -I/usr/include/$(gcc -print-multiarch) -c '{Path.Combine(cases, name + ".c")}' -o '{obj}'", _work);
        return obj;
    }

    [Fact]
    public void The_conformance_plugin_runs_as_the_suite_calls_it()
    {
        foreach (string[] args in new[] { new[] { "" }, ["", "--engine interpreter"], ["", "--engine", "jit"], ["", "--engine=interpreter"] })
        {
            var psi = new ProcessStartInfo(ForwarderProcess.Binary)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (string a in (string[])["bpf", "conformance-plugin", .. args]) psi.ArgumentList.Add(a);
            using var process = Process.Start(psi)!;
            // mov r0, 42; exit
            process.StandardInput.WriteLine("b7  00  00  00  2a  00  00  00  95  00  00  00  00  00  00  00");
            process.StandardInput.Close();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"{string.Join(' ', args)}: {process.StandardError.ReadToEnd()}");
            Assert.Equal("2a", output.Trim());
        }
    }
}
