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

    /// <summary>TC_ACT_VALUE_MAX: the largest plain (non-extended) verdict a user may configure.</summary>
    public const int ValueMax = Trap;

    public const int ExtShift = 28;
    public const int ExtValMask = 0x0FFF_FFFF;
    public const int Jump = 1 << ExtShift;          // TC_ACT_JUMP
    public const int GotoChain = 2 << ExtShift;     // TC_ACT_GOTO_CHAIN
    public const int ExtOpcodeMax = GotoChain;      // TC_ACT_EXT_OPCODE_MAX
    public const int MaxPrioMask = 0x1FF;           // TCA_ACT_MAX_PRIO_MASK
    public const int MaxPrio = 32;                  // TCA_ACT_MAX_PRIO

    /// <summary>TC_ACT_EXT_CMP(): whether <paramref name="code"/> is the extended opcode <paramref name="opcode"/>.</summary>
    public static bool IsExt(int code, int opcode) => (code & ~ExtValMask) == opcode;

    /// <summary>TC_ACT_EXT_OPCODE(): the opcode part of an extended verdict (0 for plain verdicts).</summary>
    public static int ExtOpcode(int code) => code & ~ExtValMask;

    public static int MakeGotoChain(uint chain) => GotoChain | (int)(chain & ExtValMask);
    public static int MakeJump(int count) => Jump | (count & ExtValMask);
}
