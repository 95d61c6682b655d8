using Bpf.Native.Verifier;

namespace Bpf.Native.Programs;

/// <summary>
/// BPF_PROG_TYPE_SCHED_CLS, the tc classifier, with the kernel's tc_cls_act_verifier_ops (net/core/filter.c):
/// the <c>struct __sk_buff</c> context (<see cref="SkBuffLayout"/>), direct packet read and write, LD_ABS / LD_IND,
/// and tc_cls_act_func_proto's helpers as a privileged (CAP_BPF + CAP_PERFMON) loader gets them.
/// </summary>
public class SchedClsProgramType : ProgramType
{
    /// <summary>
    /// The helper ids a privileged loader may call from sched_cls on Linux 6.18: measured on this machine's kernel by
    /// loading <c>call N; r0 = 0; exit</c> for every id with <c>bpftool prog load OBJ PIN type classifier</c> and
    /// keeping the ids not refused with "program of this type cannot use helper" (the table is in
    /// tests/Bpf.Native.Tests/Fixtures/verifier/kernel-helper-probe.txt, with the script that made it).
    /// </summary>
    private static readonly int[] s_allowedHelperIds =
    [
        1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 28, 29, 30, 31,
        32, 33, 34, 35, 37, 38, 39, 40, 41, 42, 43, 46, 47, 48, 50, 55, 66, 68, 69, 79, 80, 83, 84, 85, 86, 87, 88,
        89, 93, 94, 95, 96, 97, 98, 99, 100, 105, 106, 107, 108, 109, 110, 112, 113, 114, 115, 117, 118, 120, 122,
        123, 124, 125, 130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 140, 141, 148, 149, 151, 152, 153, 154, 155,
        156, 157, 158, 160, 163, 164, 165, 169, 170, 171, 172, 175, 176, 177, 178, 180, 181, 182, 191, 192, 194, 195,
        196, 197, 198, 199, 200, 201, 202, 203, 204, 205, 206, 207, 208, 209, 210, 211,
    ];

    private static readonly bool[] s_allowed = BuildAllowed();

    internal SchedClsProgramType()
    {
    }

    public override string Name => "sched_cls";

    /// <summary>BPF_PROG_TYPE_SCHED_CLS.</summary>
    public override int KernelId => 3;

    public override int ContextSizeBytes => SkBuffLayout.SizeBytes;

    public override bool AllowsDirectPacketRead => true;

    public override bool AllowsDirectPacketWrite => true;

    public override bool AllowsLegacyPacketLoads => true;

    /// <summary>Ids of every helper the type may call.</summary>
    public static IReadOnlyList<int> AllowedHelperIds => s_allowedHelperIds;

    public override bool AllowsHelper(int helperId) =>
        helperId >= 0 && helperId < s_allowed.Length && s_allowed[helperId];

    /// <summary>tc_cls_act_is_valid_access, then bpf_skb_is_valid_access (net/core/filter.c).</summary>
    public override bool IsValidContextAccess(int offsetBytes, int sizeBytes, ContextAccessKind kind, out ContextAccessResult result)
    {
        result = ContextAccessResult.Scalar();
        int off = offsetBytes;
        if (kind == ContextAccessKind.Write && !IsWritable(off))
        {
            return false;
        }
        var resultKind = RegisterKind.Scalar;
        switch (off)
        {
            case >= SkBuffLayout.Data and < SkBuffLayout.Data + 4:
                resultKind = RegisterKind.Packet;
                break;
            case >= SkBuffLayout.DataMeta and < SkBuffLayout.DataMeta + 4:
                resultKind = RegisterKind.PacketMeta;
                break;
            case >= SkBuffLayout.DataEnd and < SkBuffLayout.DataEnd + 4:
                resultKind = RegisterKind.PacketEnd;
                break;
            case >= SkBuffLayout.Family and < SkBuffLayout.LocalPort + 4:
                return false;
            case SkBuffLayout.TstampType:
                // Reading it tells the kernel the program knows tstamp may hold a delivery time.
                return sizeBytes == 1;
        }
        if (!IsValidSkBuffAccess(off, sizeBytes, kind, ref result))
        {
            return false;
        }
        if (resultKind != RegisterKind.Scalar)
        {
            result = new ContextAccessResult(resultKind, false, 0);
        }
        return true;
    }

    /// <summary>The write list of tc_cls_act_is_valid_access: mark, tc_index, priority, tc_classid, cb[0..4], tstamp, queue_mapping.</summary>
    private static bool IsWritable(int off) => off switch
    {
        >= SkBuffLayout.Mark and < SkBuffLayout.Mark + 4 => true,
        >= SkBuffLayout.TcIndex and < SkBuffLayout.TcIndex + 4 => true,
        >= SkBuffLayout.Priority and < SkBuffLayout.Priority + 4 => true,
        >= SkBuffLayout.TcClassid and < SkBuffLayout.TcClassid + 4 => true,
        >= SkBuffLayout.Cb and < SkBuffLayout.CbEnd => true,
        >= SkBuffLayout.Tstamp and < SkBuffLayout.Tstamp + 8 => true,
        >= SkBuffLayout.QueueMapping and < SkBuffLayout.QueueMapping + 4 => true,
        _ => false,
    };

    /// <summary>bpf_skb_is_valid_access: bounds, alignment, sizes, narrow loads.</summary>
    private static bool IsValidSkBuffAccess(int off, int size, ContextAccessKind kind, ref ContextAccessResult result)
    {
        const int sizeDefault = 4;
        if (off < 0 || off >= SkBuffLayout.SizeBytes || size <= 0)
        {
            return false;
        }
        if (off % size != 0)
        {
            return false;
        }
        switch (off)
        {
            case >= SkBuffLayout.Cb and < SkBuffLayout.CbEnd:
                // Any size up to the end of cb[4]; no narrow-load record: the rewrite accesses cb bytes directly.
                return off + size <= SkBuffLayout.CbEnd;
            case >= SkBuffLayout.RemoteIp4 and < SkBuffLayout.RemotePort:
            case >= SkBuffLayout.Data and < SkBuffLayout.Data + 4:
            case >= SkBuffLayout.DataMeta and < SkBuffLayout.DataMeta + 4:
            case >= SkBuffLayout.DataEnd and < SkBuffLayout.DataEnd + 4:
                return size == sizeDefault;
            case >= SkBuffLayout.FlowKeys and < SkBuffLayout.FlowKeys + 8:
                return false;
            case >= SkBuffLayout.Hwtstamp and < SkBuffLayout.Hwtstamp + 8:
                return kind == ContextAccessKind.Read && size == 8;
            case >= SkBuffLayout.Tstamp and < SkBuffLayout.Tstamp + 8:
                return size == 8;
            case SkBuffLayout.Sk:
                if (kind == ContextAccessKind.Write || size != 8)
                {
                    return false;
                }
                result = new ContextAccessResult(RegisterKind.SockCommon, true, 0);
                return true;
            case > SkBuffLayout.Sk and < SkBuffLayout.Sk + 8:
                // Only the whole pointer (Linux 6.18 refuses a 4-byte read at 172 too).
                return false;
            case SkBuffLayout.TstampType:
            case >= SkBuffLayout.PaddingStart and < SkBuffLayout.Hwtstamp:
                return false;
            default:
                if (kind == ContextAccessKind.Write)
                {
                    return size == sizeDefault;
                }
                // Only narrow reads: 1, 2 or 4 bytes, recorded so the rewrite loads the whole field.
                result = ContextAccessResult.Scalar(sizeDefault);
                return size <= sizeDefault && (size & (size - 1)) == 0;
        }
    }

    private static bool[] BuildAllowed()
    {
        var allowed = new bool[HelperNames.MaxId];
        foreach (int id in s_allowedHelperIds)
        {
            allowed[id] = true;
        }
        return allowed;
    }
}
