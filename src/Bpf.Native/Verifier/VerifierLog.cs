using System.Text;

namespace Bpf.Native.Verifier;

/// <summary>
/// The verifier's log at the kernel's level 1 (kernel/bpf/log.c and verifier.c): each instruction as it is
/// verified, the registers it changed after "; " aligned like the kernel's, and the reason when verification
/// fails. Like the kernel's, the log of a path that ends well is dropped when the next branch is taken up, so a
/// failing program's log shows the path that failed. Disabled, every call does nothing.
/// </summary>
internal sealed class VerifierLog
{
    private const int MinAlignment = 8;
    private const int Alignment = 40;

    /// <summary>The kernel keeps the last 16 MiB of a long log (a rotating log, the default since Linux 6.4).</summary>
    public const int CapacityChars = 16 * 1024 * 1024;

    private readonly StringBuilder _text = new();

    /// <summary>Absolute position of the first character still held.</summary>
    private long _start;

    public VerifierLog(int level) => Level = level;

    public int Level { get; }

    public bool Enabled => Level > 0;

    public int EndPosition => (int)Math.Min(int.MaxValue, _start + _text.Length);

    /// <summary>Where the last instruction's line ended, and how long it was (prev_log_pos, prev_insn_print_pos).</summary>
    public int PreviousLogPosition { get; set; }

    public int PreviousInstructionLength { get; set; }

    /// <summary>Registers and stack slots of the current frame changed since the last state print.</summary>
    public uint ScratchedRegisters { get; set; }

    public ulong ScratchedSlots { get; set; }

    public bool IsScratched => ScratchedRegisters != 0 || ScratchedSlots != 0;

    public void Write(string text)
    {
        if (Enabled)
        {
            _text.Append(text);
            Rotate();
        }
    }

    public void WriteLine(string text)
    {
        if (Enabled)
        {
            _text.Append(text).Append('\n');
            Rotate();
        }
    }

    private void Rotate()
    {
        if (_text.Length > CapacityChars + CapacityChars / 4)
        {
            int drop = _text.Length - CapacityChars;
            _text.Remove(0, drop);
            _start += drop;
        }
    }

    /// <summary>bpf_vlog_reset: drop everything after <paramref name="position"/>.</summary>
    public void Reset(int position)
    {
        if (!Enabled)
        {
            return;
        }
        if (position < _start)
        {
            _text.Clear();
            _start = position;
        }
        else if (position - _start < _text.Length)
        {
            _text.Length = (int)(position - _start);
        }
    }

    public void ScratchRegister(int register) => ScratchedRegisters |= 1u << register;

    public void ScratchSlot(int slot)
    {
        if (slot < 64)
        {
            ScratchedSlots |= 1UL << slot;
        }
    }

    public void ScratchAll()
    {
        ScratchedRegisters = uint.MaxValue;
        ScratchedSlots = ulong.MaxValue;
    }

    public void Clean()
    {
        ScratchedRegisters = 0;
        ScratchedSlots = 0;
    }

    /// <summary>vlog_alignment: spaces that put the ';' of a state comment in the kernel's column.</summary>
    public static int AlignmentFor(int position) =>
        (Math.Max(position + MinAlignment / 2, Alignment) + MinAlignment - 1) / MinAlignment * MinAlignment - position - 1;

    public override string ToString() => _text.ToString();
}
