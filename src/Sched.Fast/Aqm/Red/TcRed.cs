using Sched.Fast.Tc.Output;

namespace Sched.Fast.Aqm.Red;

/// <summary>
/// iproute2's tc/tc_red.c: the parameter helpers q_red.c, q_gred.c, q_choke.c and q_sfq.c share, and the flag
/// printer. Results are what tc computes and sends; -1 means "cannot", as in C.
/// </summary>
public static class TcRed
{
    /// <summary>tc_red_eval_P(): Plog = log2(prob / (qmax - qmin)) rounded so that 2^-Plog is just above it.</summary>
    public static int EvalP(uint qmin, uint qmax, double prob)
    {
        int i = (int)(qmax - qmin);
        if (i <= 0) return -1;
        prob /= i;
        for (i = 0; i < 32; i++)
        {
            if (prob > 1.0) break;
            prob *= 2;
        }
        return i >= 32 ? -1 : i;
    }

    /// <summary>
    /// tc_red_eval_ewma(): the smallest Wlog that lets a burst of <paramref name="burst"/> packets of
    /// <paramref name="avpkt"/> bytes pass: burst + 1 - qmin/avpkt &lt;= (1-(1-W)^burst)/W. On failure
    /// <paramref name="error"/> holds what tc prints.
    /// </summary>
    public static int EvalEwma(uint qmin, uint burst, uint avpkt, out string? error)
    {
        error = null;
        double w = 0.5;
        double a = (double)burst + 1 - (double)qmin / avpkt;
        if (a < 1.0)
        {
            error = $"tc_red_eval_ewma() burst {burst} is too small ? Try burst {1 + qmin / avpkt}";
            return -1;
        }
        for (int wlog = 1; wlog < 32; wlog++, w /= 2)
        {
            if (a <= (1 - Math.Pow(1 - w, burst)) / w) return wlog;
        }
        return -1;
    }

    /// <summary>The conversion C performs for <c>__u32 max_P = probability * pow(2, 32)</c> on x86-64.</summary>
    public static uint ProbabilityToMaxP(double probability) => unchecked((uint)(long)(probability * 4294967296.0));

    /// <summary>tc_red_print_flags(): "ecn ", "harddrop ", "adaptive ", "nodrop ", each also a JSON boolean.</summary>
    public static void PrintFlags(TcWriter w, RedFlags flags)
    {
        PrintFlag(w, flags, RedFlags.Ecn, "ecn");
        PrintFlag(w, flags, RedFlags.HardDrop, "harddrop");
        PrintFlag(w, flags, RedFlags.Adaptative, "adaptive");
        PrintFlag(w, flags, RedFlags.NoDrop, "nodrop");
    }

    private static void PrintFlag(TcWriter w, RedFlags flags, RedFlags flag, string name)
    {
        if ((flags & flag) != 0) w.Bool(PrintTarget.Any, name, name + " ", true);
        else w.Bool(PrintTarget.Any, name, null, false);
    }
}
