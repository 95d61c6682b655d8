using Sched.Fast.Tc;

namespace Sched.Fast.Tests.Tc;

/// <summary>tc_util.c get_qdisc_handle(), get_tc_classid() and print_tc_classid().</summary>
public sealed class TcHandleTests
{
    [Theory]
    [InlineData("1:", 0x0001_0000u)]
    [InlineData("1", 0x0001_0000u)]
    [InlineData("ffff:", 0xFFFF_0000u)]
    [InlineData("8001:", 0x8001_0000u)]
    [InlineData("0x10:", 0x0010_0000u)]
    [InlineData("none", 0u)]
    [InlineData("1:2", 0x0001_0000u)] // tc reads only the major
    public void Qdisc_handles_parse_as_tc_does(string text, uint handle)
    {
        Assert.True(TcHandle.TryParseQdiscHandle(text, out uint h));
        Assert.Equal(handle, h);
    }

    [Theory]
    [InlineData("zz:")]
    [InlineData("10000:")]
    [InlineData("")]
    [InlineData("1x")]
    [InlineData("root")]
    public void Bad_qdisc_handles_are_refused(string text) => Assert.False(TcHandle.TryParseQdiscHandle(text, out _));

    [Theory]
    [InlineData("1:10", 0x0001_0010u)]
    [InlineData("1:", 0x0001_0000u)]
    [InlineData(":5", 0x0000_0005u)]
    [InlineData("5", 0x0000_0005u)]
    [InlineData("root", 0xFFFF_FFFFu)]
    [InlineData("none", 0u)]
    [InlineData("ffff:fff1", 0xFFFF_FFF1u)]
    [InlineData("ffff:fff3", 0xFFFF_FFF3u)]
    public void Classids_parse_as_tc_does(string text, uint classId)
    {
        Assert.True(TcHandle.TryParseClassId(text, out uint c));
        Assert.Equal(classId, c);
    }

    [Theory]
    [InlineData("x:y")]
    [InlineData("1:x")]
    [InlineData("1:10000")]
    [InlineData("10000:1")]
    [InlineData("1:2:3")]
    [InlineData("")]
    public void Bad_classids_are_refused(string text) => Assert.False(TcHandle.TryParseClassId(text, out _));

    [Theory]
    [InlineData(0xFFFF_FFFFu, "root")]
    [InlineData(0u, "none")]
    [InlineData(0x0000_0005u, ":5")]
    [InlineData(0x0001_0000u, "1:")]
    [InlineData(0x0001_00A0u, "1:a0")]
    [InlineData(0xFFFF_FFF1u, "ffff:fff1")]
    public void Classids_print_as_tc_does(uint classId, string text) => Assert.Equal(text, TcHandle.Format(classId));
}
