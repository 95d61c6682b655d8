using System.Globalization;
using System.Text;
using Bpf.Native.Execution;

namespace Bpf.Native.Helpers.Tc;

/// <summary>
/// bpf_trace_printk(fmt, fmt_size, arg1, arg2, arg3) with the checks of kernel/bpf/helpers.c
/// bpf_bprintf_prepare(): the format must end in a NUL within fmt_size, hold no control characters, and use at most
/// three of %d %i %u %x %X (with l or ll), %c, %s, %p, %px, %pK, %pI4, %pi4, %pI6, %pi6, with flags "0+- " and a
/// width but no precision; otherwise -EINVAL. Returns the length of the formatted message (the kernel's
/// bstr_printf result). Strings and addresses are read only from the program's stack and the packet; a pointer
/// elsewhere reads as empty (the kernel reads it without faulting, printing nothing or zeros on a fault).
/// </summary>
public static unsafe class TraceHelpers
{
    /// <summary>MAX_BPRINTF_BUF: longer messages are cut.</summary>
    public const int MaxMessageBytes = 512;

    private const int MaxStringBytes = MaxMessageBytes;

    /// <summary>bpf_trace_printk.</summary>
    public static ulong TracePrintk(BpfRunContext* run, ulong fmt, ulong fmtSize, ulong arg1, ulong arg2, ulong arg3)
    {
        var format = new ReadOnlySpan<byte>((byte*)fmt, (int)Math.Min((uint)fmtSize, int.MaxValue));
        int end = format.IndexOf((byte)0);
        if (end < 0)
        {
            return TcErrno.Result(TcErrno.Invalid);
        }
        var text = new StringBuilder();
        ReadOnlySpan<ulong> args = [arg1, arg2, arg3];
        if (!TryFormat(run, format[..end], args, text))
        {
            return TcErrno.Result(TcErrno.Invalid);
        }
        string message = text.ToString();
        int length = Encoding.UTF8.GetByteCount(message);
        if (BpfTraceLog.HasListeners)
        {
            if (length > MaxMessageBytes - 1)
            {
                message = Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(message), 0, MaxMessageBytes - 1);
            }
            BpfTraceLog.Write(message);
        }
        return (ulong)length;
    }

    /// <summary>Formats like bstr_printf after bpf_bprintf_prepare's checks; false where the kernel says -EINVAL.</summary>
    internal static bool TryFormat(BpfRunContext* run, ReadOnlySpan<byte> fmt, ReadOnlySpan<ulong> args, StringBuilder output)
    {
        int used = 0;
        for (int i = 0; i < fmt.Length; i++)
        {
            byte c = fmt[i];
            if (c < 0x80 && c < 0x20 && !IsSpace(c) || c == 0x7f)
            {
                return false;
            }
            if (c != '%')
            {
                output.Append((char)c);
                continue;
            }
            if (At(fmt, i + 1) == '%')
            {
                output.Append('%');
                i++;
                continue;
            }
            if (used >= args.Length)
            {
                return false;
            }
            i++;
            if (At(fmt, i) >= 0x80)
            {
                return false;
            }
            bool zeroPad = false, leftAlign = false, plus = false, space = false;
            while (At(fmt, i) is (byte)'0' or (byte)'+' or (byte)'-' or (byte)' ')
            {
                switch (fmt[i])
                {
                    case (byte)'0': zeroPad = true; break;
                    case (byte)'+': plus = true; break;
                    case (byte)'-': leftAlign = true; break;
                    default: space = true; break;
                }
                i++;
            }
            int width = 0;
            while (At(fmt, i) is >= (byte)'0' and <= (byte)'9')
            {
                width = Math.Min(width * 10 + (fmt[i] - '0'), MaxMessageBytes);
                i++;
            }
            ulong arg = args[used++];
            string field;
            byte conversion = At(fmt, i);
            if (conversion == 'p')
            {
                if (!TryPointer(run, fmt, ref i, arg, out field))
                {
                    return false;
                }
                zeroPad = false;
            }
            else if (conversion == 's')
            {
                if (!EndsWord(At(fmt, i + 1)))
                {
                    return false;
                }
                field = ReadString(run, arg);
                zeroPad = false;
            }
            else if (conversion == 'c')
            {
                field = ((char)(byte)arg).ToString();
                zeroPad = false;
            }
            else
            {
                int size = 4;
                if (At(fmt, i) == 'l')
                {
                    size = 8;
                    i++;
                }
                if (At(fmt, i) == 'l')
                {
                    i++;
                }
                conversion = At(fmt, i);
                ulong value = size == 8 ? arg : (uint)arg;
                switch (conversion)
                {
                    case (byte)'d' or (byte)'i':
                        long signed = size == 8 ? (long)value : (int)(uint)value;
                        field = signed.ToString(CultureInfo.InvariantCulture);
                        if (signed >= 0 && (plus || space))
                        {
                            field = (plus ? "+" : " ") + field;
                        }
                        break;
                    case (byte)'u':
                        field = value.ToString(CultureInfo.InvariantCulture);
                        break;
                    case (byte)'x':
                        field = value.ToString("x", CultureInfo.InvariantCulture);
                        break;
                    case (byte)'X':
                        field = value.ToString("X", CultureInfo.InvariantCulture);
                        break;
                    default:
                        return false;
                }
            }
            Pad(output, field, width, leftAlign, zeroPad);
        }
        return true;
    }

    private static bool TryPointer(BpfRunContext* run, ReadOnlySpan<byte> fmt, ref int i, ulong arg, out string field)
    {
        byte next = At(fmt, i + 1);
        if (next == 0 || EndsWord(next))
        {
            field = arg.ToString("x16", CultureInfo.InvariantCulture);
            return true;
        }
        if (next is (byte)'k' or (byte)'u' && At(fmt, i + 2) == 's')
        {
            i += 2;
            field = ReadString(run, arg);
            return EndsWord(At(fmt, i + 1));
        }
        if (next is (byte)'K' or (byte)'x' or (byte)'s' or (byte)'S')
        {
            i++;
            field = arg.ToString("x16", CultureInfo.InvariantCulture);
            return true;
        }
        if (next is (byte)'i' or (byte)'I' && At(fmt, i + 2) is (byte)'4' or (byte)'6')
        {
            bool v4 = At(fmt, i + 2) == '4';
            bool padded = next == 'i';
            i += 2;
            Span<byte> address = stackalloc byte[16];
            int bytes = v4 ? 4 : 16;
            address = address[..bytes];
            if (!TryRead(run, arg, address))
            {
                address.Clear();
            }
            field = v4 ? FormatIpv4(address, padded) : FormatIpv6(address, padded);
            return true;
        }
        field = "";
        return false;
    }

    private static string FormatIpv4(ReadOnlySpan<byte> a, bool padded) => padded
        ? $"{a[0]:D3}.{a[1]:D3}.{a[2]:D3}.{a[3]:D3}"
        : $"{a[0]}.{a[1]}.{a[2]}.{a[3]}";

    private static string FormatIpv6(ReadOnlySpan<byte> a, bool compact)
    {
        var text = new StringBuilder(40);
        for (int g = 0; g < 8; g++)
        {
            if (g > 0 && !compact)
            {
                text.Append(':');
            }
            text.Append(a[2 * g].ToString("x2", CultureInfo.InvariantCulture));
            text.Append(a[2 * g + 1].ToString("x2", CultureInfo.InvariantCulture));
        }
        return text.ToString();
    }

    private static void Pad(StringBuilder output, string field, int width, bool leftAlign, bool zeroPad)
    {
        int fill = width - field.Length;
        if (fill <= 0)
        {
            output.Append(field);
        }
        else if (leftAlign)
        {
            output.Append(field).Append(' ', fill);
        }
        else if (zeroPad)
        {
            int sign = field.Length > 0 && field[0] is '-' or '+' or ' ' ? 1 : 0;
            output.Append(field, 0, sign).Append('0', fill).Append(field, sign, field.Length - sign);
        }
        else
        {
            output.Append(' ', fill).Append(field);
        }
    }

    private static string ReadString(BpfRunContext* run, ulong address)
    {
        int length = ReadableBytes(run, address, MaxStringBytes);
        if (length <= 0)
        {
            return "";
        }
        var source = new ReadOnlySpan<byte>((byte*)address, length);
        int end = source.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end >= 0 ? source[..end] : source);
    }

    private static bool TryRead(BpfRunContext* run, ulong address, Span<byte> destination)
    {
        if (ReadableBytes(run, address, destination.Length) < destination.Length)
        {
            return false;
        }
        new ReadOnlySpan<byte>((byte*)address, destination.Length).CopyTo(destination);
        return true;
    }

    /// <summary>How many bytes (up to <paramref name="wanted"/>) at <paramref name="address"/> lie in the stack or the packet.</summary>
    private static int ReadableBytes(BpfRunContext* run, ulong address, int wanted)
    {
        ulong stackTop = (ulong)run->StackTop;
        ulong stackBottom = stackTop - (ulong)Semantics.CallConvention.MaxStackBytes;
        if (run->StackTop != null && address >= stackBottom && address < stackTop)
        {
            return (int)Math.Min((ulong)wanted, stackTop - address);
        }
        ulong data = (ulong)run->PacketData;
        ulong dataEnd = data + run->PacketLength;
        if (run->PacketData != null && address >= data && address < dataEnd)
        {
            return (int)Math.Min((ulong)wanted, dataEnd - address);
        }
        return 0;
    }

    private static byte At(ReadOnlySpan<byte> fmt, int i) => i < fmt.Length ? fmt[i] : (byte)0;

    private static bool IsSpace(byte c) => c is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\v' or (byte)'\f';

    /// <summary>What may follow %s: the end, a space or punctuation (isspace / ispunct).</summary>
    private static bool EndsWord(byte c) => c == 0 || IsSpace(c) || (c < 0x80 && char.IsPunctuation((char)c)) || (c < 0x80 && char.IsSymbol((char)c));
}
