using Sched.Fast.Tests.Tc.Support;

namespace Sched.Fast.Tests.Shaping;

/// <summary>
/// tc's text for tbf and htb, character for character against the real kernel and iproute2 6.1 (the oracle): the
/// batch NAME.tc with "tc -b", then every line of NAME.cmds as its own command, on the oracle lab's devices (lo,
/// t1, t0, d0), printed as /work/shared/oracle/kernel-tc prints it. Golden files: tests/Sched.Fast.Tests/Tc/Golden/
/// Shapers (regen.sh there). On a difference the actual output is written to $TMPDIR/NAME.actual.
/// </summary>
public sealed class ShaperGoldenTests
{
    [Theory]
    [InlineData("tbf")]
    [InlineData("htb")]
    public void Tc_prints_what_the_kernel_oracle_printed(string name) => OracleGolden.AssertMatches("Shapers", name);
}
