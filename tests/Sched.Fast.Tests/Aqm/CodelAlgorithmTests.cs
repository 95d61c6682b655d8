using Sched.Fast.Aqm.Codel;

namespace Sched.Fast.Tests.Aqm;

/// <summary>
/// The control law's integer arithmetic against the kernel's own code: the expected numbers were printed by the
/// C program in codel_newton_reference.c.txt (codel_Newton_step and codel_control_law from
/// include/net/codel_impl.h, compiled with clang 14), so a width or shift slip in the port shows up here.
/// </summary>
public sealed class CodelAlgorithmTests
{
    // count, rec_inv_sqrt after the Newton step, drop_next after the control law (from t = 1000000, interval 100 ms)
    private static readonly (uint Count, ushort RecInvSqrt, uint DropNext)[] s_kernel =
    [
        (1, 65535, 1097654), (2, 32769, 1146483), (3, 36864, 1201414), (4, 31968, 1249049),
        (5, 28935, 1292165), (6, 26481, 1331624), (7, 24588, 1368262), (8, 23037, 1402589),
        (9, 21746, 1434992), (10, 20647, 1465758), (11, 19699, 1495111), (12, 18869, 1523227),
        (13, 18136, 1550251), (14, 17481, 1576299), (15, 16893, 1601471), (16, 16360, 1625849),
    ];

    [Fact]
    public void Interval_of_100ms_is_97656_units_of_1024ns()
    {
        Assert.Equal(97656u, CodelTime.FromMs(100));
        Assert.Equal(4882u, CodelTime.FromMs(5));
        Assert.Equal(4999u, CodelTime.ToUs(CodelTime.FromUs(5000)));
    }

    [Fact]
    public void Newton_steps_and_control_law_match_the_kernel_unit_for_unit()
    {
        var vars = new CodelVars { Count = 1, RecInvSqrt = 0xFFFF };
        uint interval = CodelTime.FromMs(100);
        uint t = CodelAlgorithm.ControlLaw(1000000, interval, vars.RecInvSqrt);
        Assert.Equal(s_kernel[0].DropNext, t);
        for (int i = 1; i < s_kernel.Length; i++)
        {
            vars.Count++;
            CodelAlgorithm.NewtonStep(ref vars);
            t = CodelAlgorithm.ControlLaw(t, interval, vars.RecInvSqrt);
            Assert.Equal(s_kernel[i].Count, vars.Count);
            Assert.Equal(s_kernel[i].RecInvSqrt, vars.RecInvSqrt);
            Assert.Equal(s_kernel[i].DropNext, t);
        }
    }

    [Fact]
    public void Newton_step_from_a_stale_estimate_follows_the_kernel()
    {
        var vars = new CodelVars { Count = 100, RecInvSqrt = 0xFFFF };
        ushort[] expected = [32916, 27414, 63421, 9037, 4963];
        foreach (ushort e in expected)
        {
            CodelAlgorithm.NewtonStep(ref vars);
            Assert.Equal(e, vars.RecInvSqrt);
        }
    }

    [Theory]
    [InlineData(100u, 1000u, 10u)]
    [InlineData(0x7FFFFFF0u, 0x10u, 0x20u)]
    public void Time_comparisons_survive_wrap_around(uint a, uint b, uint step)
    {
        Assert.True(CodelTime.After(a + step, a));
        Assert.True(CodelTime.Before(b, b + step));
        Assert.True(CodelTime.AfterOrEqual(a, a));
        Assert.False(CodelTime.After(a, a));
        Assert.True(CodelTime.After(0x00000005u, 0xFFFFFFF0u)); // 5 is 21 units after 2^32-16
    }

    [Fact]
    public void Drop_next_delta_is_signed_microseconds()
    {
        Assert.Equal(1000, CodelTime.DeltaUs(CodelTime.FromUs(2000), CodelTime.FromUs(1000)));
        Assert.Equal(-102, CodelTime.DeltaUs(100, 200));
    }
}
