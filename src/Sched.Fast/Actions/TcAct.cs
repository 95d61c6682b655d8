namespace Sched.Fast.Actions;

/// <summary>
/// The TC_ACT_* verdicts of classifiers and actions (include/uapi/linux/pkt_cls.h), with Linux's numbering, and the
/// extended opcodes jump and goto chain that carry a value in their low 28 bits.
/// </summary>
public static class TcAct
{
    public const int Unspec = -1;
    public const int Ok = 0;
    public const int Reclassify = 1;
    public const int Shot = 2;
    public const int Pipe = 3;
    public const int Stolen = 4;
    public const int Queued = 5;
    public const int Repeat = 6;
    public const int Redirect = 7;
    public const int Trap = 8;

    public const int ExtShift = 28;
    public const int ExtValMask = 0x0FFF_FFFF;
    public const int Jump = 1 << ExtShift;          // TC_ACT_JUMP
    public const int GotoChain = 2 << ExtShift;     // TC_ACT_GOTO_CHAIN
    public const int MaxPrioMask = 0x1FF;           // TCA_ACT_MAX_PRIO_MASK
    public const int MaxPrio = 32;                  // TCA_ACT_MAX_PRIO

    /// <summary>TC_ACT_EXT_CMP(): whether <paramref name="code"/> is the extended opcode <paramref name="opcode"/>.</summary>
    public static bool IsExt(int code, int opcode) => (code & ~ExtValMask) == opcode;

    public static int MakeGotoChain(uint chain) => GotoChain | (int)(chain & ExtValMask);
    public static int MakeJump(int count) => Jump | (count & ExtValMask);
}
