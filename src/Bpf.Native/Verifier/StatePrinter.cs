using System.Globalization;
using System.Text;

namespace Bpf.Native.Verifier;

/// <summary>
/// Register and stack states in the kernel log's notation (kernel/bpf/log.c, print_reg_state and
/// print_verifier_state): "R1=ctx()", "R2=pkt(id=1,off=14,r=34)", "R4=scalar(smin=0,smax=umax=0xffffffff,
/// var_off=(0x0; 0xffffffff))", "R10=fp0", "fp-8=mmmmmmmm".
/// </summary>
internal static class StatePrinter
{
    private static readonly CultureInfo s_c = CultureInfo.InvariantCulture;

    public static string KindName(RegisterKind kind, bool maybeNull = false, bool ringBuffer = false)
    {
        string name = kind switch
        {
            RegisterKind.NotInit => "?",
            RegisterKind.Scalar => "scalar",
            RegisterKind.Context => "ctx",
            RegisterKind.ConstMapPointer => "map_ptr",
            RegisterKind.MapValue => "map_value",
            RegisterKind.Stack => "fp",
            RegisterKind.Packet => "pkt",
            RegisterKind.PacketMeta => "pkt_meta",
            RegisterKind.PacketEnd => "pkt_end",
            RegisterKind.Memory => "mem",
            RegisterKind.SockCommon => "sock_common",
            _ => kind.ToString(),
        };
        if (ringBuffer)
        {
            name = "ringbuf_" + name;
        }
        return maybeNull ? name + "_or_null" : name;
    }

    public static string KindName(in RegisterState reg) => KindName(reg.Kind, reg.MaybeNull, reg.RingBuffer);

    /// <summary>verbose_unum: decimal up to U16_MAX, hex above.</summary>
    public static string Unsigned(ulong value) => value <= ushort.MaxValue
        ? value.ToString(s_c)
        : "0x" + value.ToString("x", s_c);

    /// <summary>verbose_snum: decimal within S16, hex (of the 64-bit pattern) outside.</summary>
    public static string Signed(long value) => value >= short.MinValue && value <= short.MaxValue
        ? value.ToString(s_c)
        : "0x" + ((ulong)value).ToString("x", s_c);

    public static string Format(in RegisterState reg, int frameNo)
    {
        var text = new StringBuilder();
        Append(text, reg, frameNo);
        return text.ToString();
    }

    public static void Append(StringBuilder text, in RegisterState reg, int frameNo)
    {
        if (reg.Kind == RegisterKind.Scalar && reg.Precise)
        {
            text.Append('P');
        }
        if (reg.Kind == RegisterKind.Scalar && reg.VarOff.IsConst)
        {
            text.Append(Signed((long)reg.VarOff.Value));
            return;
        }
        text.Append(KindName(reg));
        if (reg.Kind == RegisterKind.Stack)
        {
            if (reg.FrameNo != frameNo)
            {
                text.Append('[').Append(reg.FrameNo.ToString(s_c)).Append(']');
            }
            if (reg.VarOff.IsConst)
            {
                text.Append(Signed((long)reg.VarOff.Value + reg.Off));
                return;
            }
        }
        if (reg.Kind == RegisterKind.Memory)
        {
            // PTR_TO_MEM prints no type name.
        }
        text.Append('(');
        string separator = "";
        void Attribute(string value)
        {
            text.Append(separator).Append(value);
            separator = ",";
        }
        if (reg.Id != 0)
        {
            Attribute("id=" + reg.Id.ToString(s_c));
            if (reg.AddConst)
            {
                text.Append(reg.Off >= 0 ? "+" : "").Append(reg.Off.ToString(s_c));
            }
        }
        if (reg.RefObjId != 0)
        {
            Attribute("ref_obj_id=" + reg.RefObjId.ToString(s_c));
        }
        if (reg.Kind is RegisterKind.ConstMapPointer or RegisterKind.MapValue && reg.Map is { } map)
        {
            if (map.Name.Length > 0)
            {
                Attribute("map=" + MapName(map.Name));
            }
            Attribute($"ks={map.KeySize},vs={map.ValueSize}");
        }
        if (reg.Kind != RegisterKind.Scalar && reg.Off != 0)
        {
            Attribute("off=" + Signed(reg.Off));
        }
        if (reg.Kind is RegisterKind.Packet or RegisterKind.PacketMeta)
        {
            Attribute("r=" + Unsigned((ulong)(long)reg.Range));
        }
        if (reg.Kind == RegisterKind.Memory)
        {
            Attribute("sz=" + Unsigned(reg.MemSize));
        }
        if (reg.VarOff.IsConst)
        {
            if (reg.VarOff.Value != 0)
            {
                Attribute("imm=" + Signed((long)reg.VarOff.Value));
            }
        }
        else
        {
            AppendRanges(reg, Attribute);
            if (!reg.VarOff.IsUnknown)
            {
                Attribute("var_off=" + reg.VarOff);
            }
        }
        text.Append(')');
    }

    /// <summary>The kernel keeps BPF_OBJ_NAME_LEN - 1 = 15 characters of a map's name.</summary>
    private static string MapName(string name) => name.Length > 15 ? name[..15] : name;

    /// <summary>print_scalar_ranges: bounds that are not the type's extremes, equal ones merged ("smax=umax=...").</summary>
    private static void AppendRanges(in RegisterState reg, Action<string> attribute)
    {
        static bool Decimal(long value) => value >= short.MinValue && value <= short.MaxValue;
        var bounds = new (string Name, ulong Value, bool Omit)[]
        {
            ("smin", (ulong)reg.SMin, reg.SMin == long.MinValue),
            ("smax", (ulong)reg.SMax, reg.SMax == long.MaxValue),
            ("umin", reg.UMin, reg.UMin == 0),
            ("umax", reg.UMax, reg.UMax == ulong.MaxValue),
            ("smin32", Decimal(reg.S32Min) ? (ulong)(long)reg.S32Min : (uint)reg.S32Min, reg.S32Min == int.MinValue),
            ("smax32", Decimal(reg.S32Max) ? (ulong)(long)reg.S32Max : (uint)reg.S32Max, reg.S32Max == int.MaxValue),
            ("umin32", reg.U32Min, reg.U32Min == 0),
            ("umax32", reg.U32Max, reg.U32Max == uint.MaxValue),
        };
        for (int m1 = 0; m1 < bounds.Length; m1++)
        {
            if (bounds[m1].Omit)
            {
                continue;
            }
            bool negative1 = bounds[m1].Name[0] == 's' && (long)bounds[m1].Value < 0;
            var names = new StringBuilder(bounds[m1].Name).Append('=');
            for (int m2 = m1 + 2; m2 < bounds.Length; m2 += 2)
            {
                if (bounds[m2].Omit || bounds[m2].Value != bounds[m1].Value)
                {
                    continue;
                }
                bool negative2 = bounds[m2].Name[0] == 's' && (long)bounds[m2].Value < 0;
                if (negative1 != negative2)
                {
                    continue;
                }
                bounds[m2].Omit = true;
                names.Append(bounds[m2].Name).Append('=');
            }
            names.Append(bounds[m1].Name[0] == 's' ? Signed((long)bounds[m1].Value) : Unsigned(bounds[m1].Value));
            attribute(names.ToString());
        }
    }

    private static char SlotChar(StackSlotType type) => type switch
    {
        StackSlotType.Invalid => '?',
        StackSlotType.Spill => 'r',
        StackSlotType.Misc => 'm',
        _ => '0',
    };

    /// <summary>print_verifier_state for one frame: " R1=ctx() R10=fp0 fp-8=mmmmmmmm\n".</summary>
    public static void AppendFrame(StringBuilder text, FrameState frame, bool printAll, uint scratchedRegisters, ulong scratchedSlots,
        IReadOnlyList<(int Id, int Instruction)> references)
    {
        if (frame.FrameNo != 0)
        {
            text.Append(" frame").Append(frame.FrameNo.ToString(s_c)).Append(':');
        }
        for (int i = 0; i < FrameState.RegisterCount; i++)
        {
            var reg = frame.Registers[i];
            if (reg.Kind == RegisterKind.NotInit || (!printAll && (scratchedRegisters & (1u << i)) == 0))
            {
                continue;
            }
            text.Append(" R").Append(i.ToString(s_c)).Append('=');
            Append(text, reg, frame.FrameNo);
        }
        for (int i = 0; i < frame.Stack.Length; i++)
        {
            if (!printAll && (i >= 64 || (scratchedSlots & (1UL << i)) == 0))
            {
                continue;
            }
            var slot = frame.Stack[i];
            if (slot.IsAllInvalid)
            {
                continue;
            }
            var types = new StringBuilder(8);
            for (int j = 0; j < 8; j++)
            {
                types.Append(SlotChar(slot.Types[j]));
            }
            text.Append(" fp").Append(((-i - 1) * 8).ToString(s_c)).Append('=');
            if (slot.Types[7] == StackSlotType.Spill)
            {
                int j = 0;
                while (j < 8 && slot.Types[j] != StackSlotType.Spill)
                {
                    j++;
                }
                text.Append(types.ToString(0, j));
                Append(text, slot.Spilled, frame.FrameNo);
            }
            else
            {
                text.Append(types);
            }
        }
        if (references.Count > 0)
        {
            text.Append(" refs=").Append(string.Join(',', references.Select(r => r.Id.ToString(s_c))));
        }
        text.Append('\n');
    }
}
