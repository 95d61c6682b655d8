namespace Sched.Fast.Ematches.Meta;

/// <summary>TCF_META_ID_* (include/uapi/linux/tc_ematch/tc_em_meta.h).</summary>
public static class MetaId
{
    public const int Value = 0;
    public const int Random = 1;
    public const int LoadAvg0 = 2;
    public const int LoadAvg1 = 3;
    public const int LoadAvg2 = 4;
    public const int Dev = 5;
    public const int Priority = 6;
    public const int Protocol = 7;
    public const int PktType = 8;
    public const int PktLen = 9;
    public const int DataLen = 10;
    public const int MacLen = 11;
    public const int NfMark = 12;
    public const int TcIndex = 13;
    public const int RtClassId = 14;
    public const int RtIif = 15;
    public const int SkFamily = 16;
    public const int SkState = 17;
    public const int SkReuse = 18;
    public const int SkBoundIf = 19;
    public const int SkRefCnt = 20;
    public const int SkShutdown = 21;
    public const int SkProto = 22;
    public const int SkType = 23;
    public const int SkRcvBuf = 24;
    public const int SkRmemAlloc = 25;
    public const int SkWmemAlloc = 26;
    public const int SkOmemAlloc = 27;
    public const int SkWmemQueued = 28;
    public const int SkRcvQlen = 29;
    public const int SkSndQlen = 30;
    public const int SkErrQlen = 31;
    public const int SkForwardAllocs = 32;
    public const int SkSndBuf = 33;
    public const int SkAllocs = 34;
    public const int SkRouteCaps = 35;
    public const int SkHash = 36;
    public const int SkLingerTime = 37;
    public const int SkAckBacklog = 38;
    public const int SkMaxAckBacklog = 39;
    public const int SkPrio = 40;
    public const int SkRcvLowat = 41;
    public const int SkRcvTimeo = 42;
    public const int SkSndTimeo = 43;
    public const int SkSendmsgOff = 44;
    public const int SkWritePending = 45;
    public const int VlanTag = 46;
    public const int RxHash = 47;
    public const int Max = RxHash;
}
