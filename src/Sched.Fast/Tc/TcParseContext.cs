using Sched.Fast.Devices;
using Sched.Fast.Tc.Output;

namespace Sched.Fast.Tc;

/// <summary>What a kind's option parser may consult besides the words: the device (for percentage rates, MTU) and
/// where the command came from (for error messages).</summary>
public sealed record TcParseContext(NetDevice? Device = null)
{
    public static readonly TcParseContext None = new();

    /// <summary>The name after "dev" (tc passes it even when no such device exists: parse_qopt's dev argument).</summary>
    public string DeviceName => Device?.Name ?? UnresolvedDeviceName ?? "";

    /// <summary>The device name when <see cref="Device"/> is null because no such device exists.</summary>
    public string? UnresolvedDeviceName { get; init; }

    /// <summary>The global flags (-s -d -iec -raw ...) some parsers consult (tc -raw makes q_htb print buffers).</summary>
    public TcPrintOptions Options { get; init; } = TcPrintOptions.Default;

    /// <summary>Where warnings a parser prints to stderr without failing go (fprintf(stderr, "Warning: ...")).</summary>
    public Action<string>? Stderr { get; init; }

    /// <summary>A context for a device name that does not exist (yet).</summary>
    public static TcParseContext ForName(string deviceName) => new() { UnresolvedDeviceName = deviceName };

    /// <summary>Prints <paramref name="line"/> on stderr (a newline is added), as parsers do for warnings.</summary>
    public void Warn(string line) => Stderr?.Invoke(line + "\n");
}
