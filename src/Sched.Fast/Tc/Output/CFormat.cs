using System.Globalization;
using System.Text;

namespace Sched.Fast.Tc.Output;

/// <summary>
/// The subset of C's printf that iproute2's print code uses (%d %i %u %x %X %o %s %c %f %g %e %%, flags
/// <c>-+ #0</c>, width, precision, length modifiers which are accepted and ignored). Lets each kind's printer keep
/// tc's exact format strings, so output matches character for character.
/// </summary>
public static class CFormat
{
    public static string Format(string format, params object?[] args)
    {
        var sb = new StringBuilder(format.Length + 16);
        Append(sb, format, args);
        return sb.ToString();
    }

    public static void Append(StringBuilder sb, string format, params object?[] args)
    {
        int argIndex = 0;
        for (int i = 0; i < format.Length; i++)
        {
            char c = format[i];
            if (c != '%') { sb.Append(c); continue; }
            if (++i >= format.Length) throw new FormatException("format ends after %");
            if (format[i] == '%') { sb.Append('%'); continue; }

            bool left = false, plus = false, space = false, alt = false, zero = false;
            for (; i < format.Length; i++)
            {
                char f = format[i];
                if (f == '-') left = true;
                else if (f == '+') plus = true;
                else if (f == ' ') space = true;
                else if (f == '#') alt = true;
                else if (f == '0') zero = true;
                else break;
            }
            int width = 0;
            if (i < format.Length && format[i] == '*') { width = Convert.ToInt32(args[argIndex++], CultureInfo.InvariantCulture); i++; }
            else while (i < format.Length && char.IsAsciiDigit(format[i])) width = width * 10 + (format[i++] - '0');
            int precision = -1;
            if (i < format.Length && format[i] == '.')
            {
                i++;
                precision = 0;
                if (i < format.Length && format[i] == '*') { precision = Convert.ToInt32(args[argIndex++], CultureInfo.InvariantCulture); i++; }
                else while (i < format.Length && char.IsAsciiDigit(format[i])) precision = precision * 10 + (format[i++] - '0');
            }
            while (i < format.Length && "hlLqjzt".Contains(format[i])) i++;
            if (i >= format.Length) throw new FormatException($"incomplete conversion in \"{format}\"");
            char conv = format[i];
            if (argIndex >= args.Length) throw new FormatException($"too few arguments for \"{format}\"");
            object? arg = args[argIndex++];

            string body;
            string sign = "";
            switch (conv)
            {
                case 'd' or 'i':
                {
                    long v = Convert.ToInt64(arg, CultureInfo.InvariantCulture);
                    if (v < 0) { sign = "-"; body = v == long.MinValue ? "9223372036854775808" : (-v).ToString(CultureInfo.InvariantCulture); }
                    else { sign = plus ? "+" : space ? " " : ""; body = v.ToString(CultureInfo.InvariantCulture); }
                    body = ApplyIntPrecision(body, precision);
                    break;
                }
                case 'u':
                    body = ApplyIntPrecision(ToUnsigned(arg).ToString(CultureInfo.InvariantCulture), precision);
                    break;
                case 'x' or 'X':
                {
                    ulong v = ToUnsigned(arg);
                    body = ApplyIntPrecision(v.ToString(conv == 'x' ? "x" : "X", CultureInfo.InvariantCulture), precision);
                    if (alt && v != 0) sign = conv == 'x' ? "0x" : "0X";
                    break;
                }
                case 'o':
                {
                    ulong v = ToUnsigned(arg);
                    body = ApplyIntPrecision(Convert.ToString((long)v, 8), precision);
                    if (alt && body[0] != '0') body = "0" + body;
                    break;
                }
                case 's':
                    body = arg?.ToString() ?? "(null)";
                    if (precision >= 0 && body.Length > precision) body = body[..precision];
                    zero = false;
                    break;
                case 'c':
                    body = arg is char ch ? ch.ToString() : ((char)Convert.ToInt32(arg, CultureInfo.InvariantCulture)).ToString();
                    zero = false;
                    break;
                case 'f' or 'F' or 'e' or 'E' or 'g' or 'G':
                {
                    double v = Convert.ToDouble(arg, CultureInfo.InvariantCulture);
                    if (v < 0 || (v == 0 && double.IsNegative(v))) { sign = "-"; v = -v; }
                    else sign = plus ? "+" : space ? " " : "";
                    body = FormatFloat(v, conv, precision < 0 ? 6 : precision, alt);
                    break;
                }
                default:
                    throw new FormatException($"unsupported conversion %{conv} in \"{format}\"");
            }

            int len = sign.Length + body.Length;
            if (len >= width) sb.Append(sign).Append(body);
            else if (left) sb.Append(sign).Append(body).Append(' ', width - len);
            else if (zero && (precision < 0 || conv is 'f' or 'F' or 'e' or 'E' or 'g' or 'G'))
                sb.Append(sign).Append('0', width - len).Append(body);
            else sb.Append(' ', width - len).Append(sign).Append(body);
        }
    }

    private static ulong ToUnsigned(object? arg) => arg switch
    {
        ulong u => u,
        uint u => u,
        ushort u => u,
        byte u => u,
        long l => unchecked((ulong)l),
        int i => unchecked((ulong)(long)i),
        short s => unchecked((ulong)(long)s),
        sbyte s => unchecked((ulong)(long)s),
        char ch => ch,
        bool b => b ? 1UL : 0UL,
        _ => Convert.ToUInt64(arg, CultureInfo.InvariantCulture),
    };

    private static string ApplyIntPrecision(string digits, int precision)
    {
        if (precision < 0) return digits;
        if (precision == 0 && digits == "0") return "";
        return digits.Length < precision ? new string('0', precision - digits.Length) + digits : digits;
    }

    private static string FormatFloat(double v, char conv, int precision, bool alt)
    {
        if (double.IsInfinity(v)) return char.IsUpper(conv) ? "INF" : "inf";
        if (double.IsNaN(v)) return char.IsUpper(conv) ? "NAN" : "nan";
        switch (conv)
        {
            case 'f' or 'F':
                return v.ToString("F" + precision, CultureInfo.InvariantCulture);
            case 'e' or 'E':
                return FormatExp(v, precision, conv);
            default:
            {
                // %g: precision P (0 means 1); exponent X; use %e if X < -4 or X >= P, else %f with P-1-X digits;
                // trailing zeros removed unless '#'.
                int p = precision == 0 ? 1 : precision;
                int x = v == 0 ? 0 : (int)Math.Floor(Math.Log10(v));
                // Rounding can carry into the next power of ten (9.9999 -> 10.000).
                string probe = FormatExp(v, p - 1, 'e');
                x = int.Parse(probe[(probe.IndexOf('e') + 1)..], CultureInfo.InvariantCulture);
                string s = x < -4 || x >= p
                    ? FormatExp(v, p - 1, conv == 'G' ? 'E' : 'e')
                    : v.ToString("F" + Math.Max(0, p - 1 - x), CultureInfo.InvariantCulture);
                if (!alt)
                {
                    int e = s.IndexOfAny(['e', 'E']);
                    string mant = e < 0 ? s : s[..e];
                    string exp = e < 0 ? "" : s[e..];
                    if (mant.Contains('.')) mant = mant.TrimEnd('0').TrimEnd('.');
                    s = mant + exp;
                }
                return s;
            }
        }
    }

    private static string FormatExp(double v, int precision, char conv)
    {
        string s = v.ToString((conv == 'E' ? "E" : "e") + precision, CultureInfo.InvariantCulture);
        // .NET prints e+006; C prints e+06.
        int e = s.IndexOfAny(['e', 'E']);
        string mant = s[..(e + 2)];
        string digits = s[(e + 2)..].TrimStart('0');
        if (digits.Length < 2) digits = digits.PadLeft(2, '0');
        return mant + digits;
    }
}
