using System.Runtime.CompilerServices;

namespace Bpf.Native.Verifier;

/// <summary>Types of the 8 bytes of a stack slot; index 7 is the lowest address (the kernel's slot_type[]).</summary>
[InlineArray(8)]
internal struct StackSlotTypes
{
    private StackSlotType _element;
}

/// <summary>
/// One 8-byte stack slot (the kernel's struct bpf_stack_state): the type of each byte and, when a register was
/// spilled here, that register's state. Slot i covers fp-8*(i+1) .. fp-8*i-1.
/// </summary>
internal struct StackSlot
{
    public StackSlotTypes Types;
    public RegisterState Spilled;

    /// <summary>is_spilled_reg: the last byte holds part of a spill.</summary>
    public readonly bool IsSpilledRegister => Types[7] == StackSlotType.Spill;

    public readonly bool IsSpilledScalar => IsSpilledRegister && Spilled.Kind == RegisterKind.Scalar;

    /// <summary>A full 8-byte spill.</summary>
    public readonly bool IsFullSpill
    {
        get
        {
            for (int i = 0; i < 8; i++)
            {
                if (Types[i] != StackSlotType.Spill)
                {
                    return false;
                }
            }
            return true;
        }
    }

    public readonly bool IsAllInvalid
    {
        get
        {
            for (int i = 0; i < 8; i++)
            {
                if (Types[i] != StackSlotType.Invalid)
                {
                    return false;
                }
            }
            return true;
        }
    }

    /// <summary>is_stack_all_misc with allow_uninit_stack: only data or uninitialized bytes.</summary>
    public readonly bool IsAllMisc
    {
        get
        {
            for (int i = 0; i < 8; i++)
            {
                if (Types[i] is not (StackSlotType.Misc or StackSlotType.Invalid))
                {
                    return false;
                }
            }
            return true;
        }
    }
}
