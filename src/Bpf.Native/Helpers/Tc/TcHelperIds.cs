namespace Bpf.Native.Helpers.Tc;

/// <summary>The Linux helper ids of the tc helper set (include/uapi/linux/bpf.h, __BPF_FUNC_MAPPER order).</summary>
public static class TcHelperIds
{
    public const int MapLookupElem = 1;
    public const int MapUpdateElem = 2;
    public const int MapDeleteElem = 3;
    public const int KtimeGetNs = 5;
    public const int TracePrintk = 6;
    public const int GetPrandomU32 = 7;
    public const int GetSmpProcessorId = 8;
    public const int SkbStoreBytes = 9;
    public const int L3CsumReplace = 10;
    public const int L4CsumReplace = 11;
    public const int TailCall = 12;
    public const int CloneRedirect = 13;
    public const int SkbVlanPush = 18;
    public const int SkbVlanPop = 19;
    public const int Redirect = 23;
    public const int PerfEventOutput = 25;
    public const int SkbLoadBytes = 26;
    public const int CsumDiff = 28;
    public const int SkbChangeProto = 31;
    public const int SkbChangeType = 32;
    public const int GetHashRecalc = 34;
    public const int SkbChangeTail = 38;
    public const int SkbPullData = 39;
    public const int CsumUpdate = 40;
    public const int SetHashInvalid = 41;
    public const int SkbChangeHead = 43;
    public const int SetHash = 48;
    public const int SkbAdjustRoom = 50;
    public const int SkbLoadBytesRelative = 68;
    public const int MapPushElem = 87;
    public const int MapPopElem = 88;
    public const int MapPeekElem = 89;
    public const int Jiffies64 = 118;
    public const int KtimeGetBootNs = 125;
    public const int RingbufOutput = 130;
    public const int RingbufReserve = 131;
    public const int RingbufSubmit = 132;
    public const int RingbufDiscard = 133;
}
