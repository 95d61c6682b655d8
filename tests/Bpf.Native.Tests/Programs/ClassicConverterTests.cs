using System.Diagnostics;
using Bpf.Native.Execution;
using Bpf.Native.Helpers.Tc;
using Bpf.Native.Loader;
using Bpf.Native.Programs;
using Bpf.Native.Programs.Classic;
using Bpf.Native.Verifier;
using static Bpf.Native.Programs.ContextFieldStorage;

namespace Bpf.Native.Tests.Programs;

/// <summary>
/// Classic BPF checked and converted as the kernel does for cls_bpf's bytecode, run on both engines: tcpdump's
/// filters, scratch memory, division by zero, ancillary loads, and the checker's refusals.
/// </summary>
public sealed unsafe class ClassicConverterTests
{
    // A host context: len (u32) at 0, protocol (host-order u16) at 4, mark at 8.
    private static readonly ContextLayout s_layout = new("__sk_buff", 192,
    [
        new("len", 0, 4, Direct, HostOffset: 0, HostBytes: 4, NarrowReads: true),
        new("mark", 8, 4, Direct, HostOffset: 8, HostBytes: 4, NarrowReads: true),
        new("protocol", 16, 4, BigEndian16, HostOffset: 4, HostBytes: 2, NarrowReads: true),
    ]);

    public static TheoryData<EngineKind> Engines => new() { EngineKind.Interpreter, EngineKind.Jit };

    private static uint Run(IReadOnlyList<ClassicInstruction> program, EngineKind engine, byte[] frame, uint mark = 0)
    {
        ClassicConversion conversion = ClassicConverter.Convert(program);
        var rewritten = ContextRewriter.Rewrite(conversion.Instructions, conversion.ContextAccesses, s_layout);
        BpfProgram loaded = ProgramLoader.Load(StructuralVerifier.Verify(rewritten, TcHelpers.CreateTable()), engine);
        byte* context = stackalloc byte[16];
        *(uint*)context = (uint)frame.Length;
        *(ushort*)(context + 4) = (ushort)(frame[12] << 8 | frame[13]);
        *(uint*)(context + 8) = mark;
        BpfStackBuffer stack = default;
        fixed (byte* data = frame)
        {
            var run = new BpfRunContext
            {
                Context = context,
                PacketData = data,
                PacketLength = (uint)frame.Length,
                NetworkHeaderOffset = 14,
                StackTop = BpfStackBuffer.Top(ref stack),
            };
            return (uint)loaded.Run(ref run);
        }
    }

    private static ClassicInstruction[] Tcpdump(string filter)
    {
        var psi = new ProcessStartInfo("tcpdump", ["-ddd", filter]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        string[] lines = p.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        p.WaitForExit();
        return lines.Skip(1).Select(l => l.Split(' ')).Select(w =>
            new ClassicInstruction(ushort.Parse(w[0]), byte.Parse(w[1]), byte.Parse(w[2]), uint.Parse(w[3]))).ToArray();
    }

    private static byte[] Ipv4(byte protocol, ushort dstPort, int ihl = 5)
    {
        var f = new byte[14 + ihl * 4 + 20];
        f[12] = 0x08;
        f[14] = (byte)(0x40 | ihl);
        f[23] = protocol;
        f[14 + ihl * 4 + 2] = (byte)(dstPort >> 8);
        f[14 + ihl * 4 + 3] = (byte)dstPort;
        return f;
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Tcpdump_filters_match_as_in_the_kernel(EngineKind engine)
    {
        ClassicInstruction[] http = Tcpdump("ip and tcp dst port 80");
        Assert.Equal(262144u, Run(http, engine, Ipv4(6, 80)));
        Assert.Equal(262144u, Run(http, engine, Ipv4(6, 80, ihl: 6)));
        Assert.Equal(0u, Run(http, engine, Ipv4(6, 81)));
        Assert.Equal(0u, Run(http, engine, Ipv4(17, 80)));
        Assert.Equal(0u, Run(http, engine, Ipv4(6, 80)[..30])); // the port lies past the end: classic returns 0
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Scratch_memory_ancillary_loads_and_division_by_zero(EngineKind engine)
    {
        byte[] frame = Ipv4(6, 80);
        // A = len; M[3] = A; A = 0; A = M[3]; A += 5; ret A
        Assert.Equal((uint)frame.Length + 5, Run(
            [new(0x80, 0, 0, 0), new(0x02, 0, 0, 3), new(0x00, 0, 0, 0), new(0x60, 0, 0, 3), new(0x04, 0, 0, 5), new(0x16, 0, 0, 0)],
            engine, frame));
        // A = protocol (SKF_AD_OFF + 0): host order.
        Assert.Equal(0x0800u, Run([new(0x28, 0, 0, 0xfffff000), new(0x16, 0, 0, 0)], engine, frame));
        // A = mark (SKF_AD_OFF + 20).
        Assert.Equal(77u, Run([new(0x20, 0, 0, 0xfffff014), new(0x16, 0, 0, 0)], engine, frame, mark: 77));
        // X = 0; A = 10; A /= X: the program returns 0.
        Assert.Equal(0u, Run([new(0x01, 0, 0, 0), new(0x00, 0, 0, 10), new(0x3c, 0, 0, 0), new(0x06, 0, 0, 9)], engine, frame));
        // jgt with an immediate above 2^31 compares unsigned: 0x80000000 > 5.
        Assert.Equal(1u, Run([new(0x00, 0, 0, 0x80000000), new(0x25, 0, 1, 5), new(0x06, 0, 0, 1), new(0x06, 0, 0, 2)], engine, frame));
        // X = 4 * (IP header length) with ldxb 4*([14]&0xf).
        Assert.Equal(20u, Run([new(0xb1, 0, 0, 14), new(0x87, 0, 0, 0), new(0x16, 0, 0, 0)], engine, frame));
    }

    [Theory]
    [InlineData("jump past the end", 0x15, 5, 0, 0)]
    [InlineData("unknown opcode", 0xff, 0, 0, 0)]
    [InlineData("division by zero", 0x34, 0, 0, 0)]
    [InlineData("shift too far", 0x64, 0, 0, 32)]
    [InlineData("cell past M[15]", 0x02, 0, 0, 16)]
    [InlineData("unknown ancillary", 0x20, 0, 0, 0xfffff0f0)]
    public void The_checker_refuses_what_the_kernel_refuses(string why, ushort code, byte jt, byte jf, uint k)
    {
        ClassicInstruction[] program = [new(code, jt, jf, k), new(0x06, 0, 0, 0)];
        Assert.Throws<ClassicProgramException>(() => ClassicChecker.Check(program));
        _ = why;
    }

    [Fact]
    public void Memory_must_be_written_on_every_path_before_it_is_read_and_the_program_must_return()
    {
        // jeq #1 -> store M[0]; both paths read M[0].
        ClassicInstruction[] maybe = [new(0x15, 0, 1, 1), new(0x02, 0, 0, 0), new(0x60, 0, 0, 0), new(0x16, 0, 0, 0)];
        Assert.Throws<ClassicProgramException>(() => ClassicChecker.Check(maybe));
        Assert.Throws<ClassicProgramException>(() => ClassicChecker.Check([new(0x00, 0, 0, 1)]));
        ClassicChecker.Check([new(0x02, 0, 0, 0), new(0x60, 0, 0, 0), new(0x16, 0, 0, 0)]);
    }
}
