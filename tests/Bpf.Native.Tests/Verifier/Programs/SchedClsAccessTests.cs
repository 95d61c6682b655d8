using System.Globalization;
using Bpf.Native.Programs;
using Bpf.Native.Tests.Support;
using Bpf.Native.Verifier;

namespace Bpf.Native.Tests.Verifier.Programs;

/// <summary>
/// The SCHED_CLS / SCHED_ACT rules for __sk_buff accesses, against the verdicts this machine's kernel gave for the
/// same accesses (Fixtures/verifier/kernel-ctx-access.txt, made by kernel-ctx-access.sh).
/// </summary>
public sealed class SchedClsAccessTests
{
    public static TheoryData<int, int, string, bool> KernelVerdicts()
    {
        var data = new TheoryData<int, int, string, bool>();
        foreach (string line in File.ReadLines(Path.Combine(TestPaths.Fixtures, "verifier", "kernel-ctx-access.txt")))
        {
            if (line.StartsWith('#'))
            {
                continue;
            }
            var parts = line.Split(' ');
            data.Add(int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture),
                parts[2], parts[3] == "ok");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(KernelVerdicts))]
    public void Context_accesses_are_valid_exactly_when_the_kernel_allows_them(int offset, int size, string readOrWrite, bool kernelAllows)
    {
        var kind = readOrWrite == "R" ? ContextAccessKind.Read : ContextAccessKind.Write;

        Assert.Equal(kernelAllows, ProgramType.SchedCls.IsValidContextAccess(offset, size, kind, out _));
        Assert.Equal(kernelAllows, ProgramType.SchedAct.IsValidContextAccess(offset, size, kind, out _));
    }

    [Theory]
    [InlineData(SkBuffLayout.Data, RegisterKind.Packet)]
    [InlineData(SkBuffLayout.DataEnd, RegisterKind.PacketEnd)]
    [InlineData(SkBuffLayout.DataMeta, RegisterKind.PacketMeta)]
    [InlineData(SkBuffLayout.Mark, RegisterKind.Scalar)]
    public void Loads_of_data_pointers_yield_packet_pointers(int offset, RegisterKind expected)
    {
        Assert.True(ProgramType.SchedCls.IsValidContextAccess(offset, 4, ContextAccessKind.Read, out var result));
        Assert.Equal(expected, result.Kind);
        Assert.False(result.MaybeNull);
    }

    [Fact]
    public void The_socket_pointer_may_be_null()
    {
        Assert.True(ProgramType.SchedCls.IsValidContextAccess(SkBuffLayout.Sk, 8, ContextAccessKind.Read, out var result));
        Assert.Equal(RegisterKind.SockCommon, result.Kind);
        Assert.True(result.MaybeNull);
    }

    [Fact]
    public void Narrow_loads_record_the_whole_field_size_and_cb_accesses_do_not()
    {
        Assert.True(ProgramType.SchedCls.IsValidContextAccess(SkBuffLayout.Mark + 1, 1, ContextAccessKind.Read, out var narrow));
        Assert.Equal(4, narrow.FieldSizeBytes);
        Assert.True(ProgramType.SchedCls.IsValidContextAccess(SkBuffLayout.Cb + 8, 8, ContextAccessKind.Read, out var cb));
        Assert.Equal(0, cb.FieldSizeBytes);
    }

    [Theory]
    [InlineData(SkBuffLayout.Mark, 4)]
    [InlineData(SkBuffLayout.Priority, 4)]
    [InlineData(SkBuffLayout.TcIndex, 4)]
    [InlineData(SkBuffLayout.TcClassid, 4)]
    [InlineData(SkBuffLayout.QueueMapping, 4)]
    [InlineData(SkBuffLayout.Tstamp, 8)]
    [InlineData(SkBuffLayout.Cb + 16, 4)]
    public void The_writable_fields_are_those_linux_lets_tc_programs_write(int offset, int size) =>
        Assert.True(ProgramType.SchedCls.IsValidContextAccess(offset, size, ContextAccessKind.Write, out _));

    [Fact]
    public void Helper_rules_follow_the_kernel_probe_table()
    {
        foreach (string line in File.ReadLines(Path.Combine(TestPaths.Fixtures, "verifier", "kernel-helper-probe.txt")))
        {
            if (line.StartsWith('#'))
            {
                continue;
            }
            int id = int.Parse(line[..line.IndexOf(' ')], CultureInfo.InvariantCulture);
            bool kernelAllows = !line.Contains("cannot use helper") && !line.Contains("invalid func");
            Assert.True(kernelAllows == ProgramType.SchedCls.AllowsHelper(id), $"helper {id}: {line}");
        }
    }

    [Fact]
    public void Types_are_found_by_kernel_and_bpftool_names()
    {
        Assert.Same(ProgramType.SchedCls, ProgramType.FromName("classifier"));
        Assert.Same(ProgramType.SchedAct, ProgramType.FromName("sched_act"));
        Assert.Equal((3, 4), (ProgramType.SchedCls.KernelId, ProgramType.SchedAct.KernelId));
        Assert.Null(ProgramType.FromName("xdp"));
    }
}
