using Sched.Fast.Tc.Kernel;

namespace Sched.Fast.Tc.Commands;

/// <summary>tc/m_estimator.c parse_estimator(): "estimator INTERVAL TIME_CONSTANT" into a tc_estimator.</summary>
public static class EstimatorParser
{
    private const string Help =
        "Usage: ... estimator INTERVAL TIME-CONST\n" +
        "  INTERVAL is interval between measurements\n" +
        "  TIME-CONST is averaging time constant\n" +
        "Example: ... est 1sec 8sec\n";

    /// <summary>
    /// Reads the two times after the current "estimator" word, leaving the cursor on the second. False (tc's -1)
    /// after printing "Error: estimator parameters are out of range."
    /// </summary>
    public static bool Parse(TcArgs args, TcCommandContext context, ref EstimatorSpec? spec)
    {
        string interval = args.NextArg();
        if (spec is not null) throw TcException.DuplicateArgument("estimator", interval);
        if (TcArgs.IsPrefixOf(interval, "help")) context.Err(Help);
        // m_estimator.c passes invarg()'s arguments the other way round; tc prints them so.
        if (!TcUnits.TryParseTimeUs(interval, out uint a))
            throw TcException.InvalidArgument("estimator", "invalid estimator interval");
        string constant = args.NextArg();
        if (TcArgs.IsPrefixOf(constant, "help")) context.Err(Help);
        if (!TcUnits.TryParseTimeUs(constant, out uint timeConstant))
            throw TcException.InvalidArgument("estimator", "invalid estimator time constant");
        EstimatorSpec? est = EstimatorSpec.FromTimes(a, timeConstant);
        if (est is null)
        {
            context.Err("Error: estimator parameters are out of range.\n");
            return false;
        }
        if (context.Options.ShowRaw) context.Err($"[estimator i={est.Interval} e={est.EwmaLog}]\n");
        spec = est;
        return true;
    }
}
