using System.Buffers.Binary;
using System.Text.RegularExpressions;
using Bpf.Native.Elf;
using Bpf.Native.Execution;
using Forwarder.Cli;
using Forwarder.Tests.EndToEnd;

namespace Forwarder.Tests.Bpf;

/// <summary>
/// <c>forwarder bpf run</c> against the kernel: every program of the fixtures (context reads and writes, narrow
/// reads, the helper set, the 60-line parser, the seed classifier) is loaded into this machine's kernel with
/// <c>bpftool prog loadall</c> and run with <c>bpftool prog run</c> on the same frames and the same
/// <c>__sk_buff</c> input, then with <c>forwarder bpf run</c> on both engines: return value, frame and context
/// output must be identical. Differences by design are listed and checked to be exactly those.
/// </summary>
public sealed partial class KernelRunComparisonTests : IDisposable
{
    private readonly string _pins = "/sys/fs/bpf/fwd-bpftc-" + Guid.NewGuid().ToString("N")[..12];
    private readonly string _work = Path.Combine(Path.GetTempPath(), "bpftc-run-" + Guid.NewGuid().ToString("N"));

    public KernelRunComparisonTests() => Directory.CreateDirectory(_work);

    public void Dispose()
    {
        if (Directory.Exists(_pins)) BpfFixtureObjects.Shell($"rm -rf '{_pins}'", "/", check: false);
        Directory.Delete(_work, recursive: true);
    }

    /// <summary>
    /// Programs whose kernel result differs by design: r_sk (BPF_PROG_TEST_RUN gives the skb a dummy socket; tc
    /// frames here have none), h_csum_diff (this machine's kernel folds the sum to 16 bits, as Linux does since 6.12;
    /// the modelled 6.1 returns x86's unfolded 32-bit sum), h_map_counts, h_queue_pop and h_map_delete (their result depends on
    /// what earlier runs left in maps the kernel's loadall shares; TcHelperTests checks them).
    /// </summary>
    private static readonly HashSet<string> s_byDesign = ["r_sk", "h_csum_diff", "h_map_counts", "h_queue_pop", "h_map_delete"];

    [RootTheory]
    [InlineData("fields", EngineKind.Jit)]
    [InlineData("fields", EngineKind.Interpreter)]
    [InlineData("helpers", EngineKind.Jit)]
    [InlineData("helpers", EngineKind.Interpreter)]
    [InlineData("parser", EngineKind.Jit)]
    [InlineData("parser", EngineKind.Interpreter)]
    [InlineData("cls", EngineKind.Jit)]
    [InlineData("cls", EngineKind.Interpreter)]
    public void Every_program_returns_what_the_kernel_returns(string objectName, EngineKind engine)
    {
        string obj = BpfFixtureObjects.Path(objectName + ".o");
        BpfFixtureObjects.Shell($"bpftool prog loadall '{obj}' '{_pins}' type classifier", _work);
        ObjectSpec spec = ObjectSpec.Load(obj);
        var frames = Frames();
        File.WriteAllBytes(Path.Combine(_work, "ctx.bin"), ContextIn());
        var mismatches = new List<string>();
        int compared = 0;
        foreach (var program in spec.Programs)
        {
            foreach (var (frameName, frame) in frames)
            {
                string data = Path.Combine(_work, frameName);
                File.WriteAllBytes(data, frame);
                string kernel = BpfFixtureObjects.Shell(
                    $"bpftool prog run pinned '{_pins}/{program.Name}' data_in '{data}' ctx_in ctx.bin data_out k.data ctx_out k.ctx", _work);
                var stdout = new StringWriter();
                var stderr = new StringWriter();
                int status = BpfRunCommand.Run(obj, program.SectionName, data, Path.Combine(_work, "o.data"), Path.Combine(_work, "ctx.bin"),
                    Path.Combine(_work, "o.ctx"), 1, engine, null, json: false, stdout, stderr);
                Assert.True(status == 0, $"{program.SectionName}: {stderr}");
                string kernelValue = ReturnValue().Match(kernel).Groups[1].Value;
                string ourValue = ReturnValue().Match(stdout.ToString()).Groups[1].Value;
                bool same = kernelValue == ourValue
                    && File.ReadAllBytes(Path.Combine(_work, "k.data")).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(_work, "o.data")))
                    && File.ReadAllBytes(Path.Combine(_work, "k.ctx")).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(_work, "o.ctx")));
                if (!same && !s_byDesign.Contains(program.SectionName))
                {
                    mismatches.Add($"{program.SectionName} on {frameName}: kernel {kernelValue}, ours {ourValue} (or the frame or context after the run differ)");
                }
                compared++;
            }
        }
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
        Assert.True(compared >= spec.Programs.Count, "nothing compared");
    }

    [GeneratedRegex(@"Return value: (\d+), duration")]
    private static partial Regex ReturnValue();

    /// <summary>A TCP frame with TOS 0x2c (the seed's), a UDP frame with a valid checksum, a VLAN-tagged UDP frame.</summary>
    private static List<(string, byte[])> Frames()
    {
        byte[] tcp = new byte[54];
        tcp[12] = 0x08;
        tcp[14] = 0x45;
        tcp[15] = 0x2c;
        BinaryPrimitives.WriteUInt16BigEndian(tcp.AsSpan(16), 40);
        tcp[22] = 64;
        tcp[23] = 6;
        BinaryPrimitives.WriteUInt32BigEndian(tcp.AsSpan(26), 0xC6120001);
        BinaryPrimitives.WriteUInt32BigEndian(tcp.AsSpan(30), 0xC6120002);
        BinaryPrimitives.WriteUInt16BigEndian(tcp.AsSpan(34), 1234);
        BinaryPrimitives.WriteUInt16BigEndian(tcp.AsSpan(36), 80);

        byte[] udp = new byte[54];
        udp[11] = 1;
        udp[12] = 0x08;
        udp[14] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(16), 40);
        udp[22] = 64;
        udp[23] = 17;
        BinaryPrimitives.WriteUInt32BigEndian(udp.AsSpan(26), 0xC6120001);
        BinaryPrimitives.WriteUInt32BigEndian(udp.AsSpan(30), 0xC6120002);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(34), 1234);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(36), 53);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(38), 20);
        "hello world!"u8.CopyTo(udp.AsSpan(42));
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(24), Fold(Sum(udp.AsSpan(14, 20))));
        uint pseudo = Sum(udp.AsSpan(26, 8)) + 17 + 20;
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(40), Fold(pseudo + Sum(udp.AsSpan(34, 20))));

        byte[] tagged = [.. udp[..12], 0x81, 0x00, 0x00, 0x2a, .. udp[12..]];
        return [("tcp.bin", tcp), ("udp.bin", udp), ("vlan.bin", tagged)];
    }

    /// <summary>An __sk_buff with every field bpftool's test run accepts set.</summary>
    private static byte[] ContextIn()
    {
        var ctx = new byte[192];
        BinaryPrimitives.WriteUInt32LittleEndian(ctx.AsSpan(8), 5);          // mark
        BinaryPrimitives.WriteUInt32LittleEndian(ctx.AsSpan(32), 0x10007);   // priority
        BinaryPrimitives.WriteUInt32LittleEndian(ctx.AsSpan(36), 3);         // ingress_ifindex
        for (int i = 0; i < 5; i++) BinaryPrimitives.WriteUInt32LittleEndian(ctx.AsSpan(48 + 4 * i), (uint)(i + 1) * 0x01010101);
        BinaryPrimitives.WriteUInt64LittleEndian(ctx.AsSpan(152), 0x123456789); // tstamp
        BinaryPrimitives.WriteUInt32LittleEndian(ctx.AsSpan(160), 80);       // wire_len
        return ctx;
    }

    private static uint Sum(ReadOnlySpan<byte> bytes)
    {
        uint sum = 0;
        for (int i = 0; i + 1 < bytes.Length; i += 2) sum += BinaryPrimitives.ReadUInt16BigEndian(bytes[i..]);
        return sum;
    }

    private static ushort Fold(uint sum)
    {
        while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
        return (ushort)~sum;
    }
}
