namespace Sched.Fast.Tc.Output;

/// <summary>Where a value goes, as iproute2's <c>enum output_type</c>: plain text only, JSON only, or either.</summary>
[Flags]
public enum PrintTarget
{
    /// <summary>PRINT_FP: only in plain (file pointer) output.</summary>
    Plain = 1,
    /// <summary>PRINT_JSON: only in JSON output.</summary>
    Json = 2,
    /// <summary>PRINT_ANY: in both; plain uses the format, JSON the key.</summary>
    Any = 4,
}
