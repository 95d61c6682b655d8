using Bpf.Native.Conformance;
using Bpf.Native.Isa;

namespace Bpf.Native.Tests.Conformance;

/// <summary>The plugin's argument and I/O contract (the suite's README, "Execution contract").</summary>
public sealed class ConformancePluginTests
{
    private const string ReturnsLengthPlusFirstByte = """
        ldxb %r0, [%r1]
        add %r0, %r2
        exit
        """;

    private static (int Exit, string Stdout, string Stderr) Run(string[] args, string program)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = ConformancePlugin.Run(args, new StringReader(program), stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static string Program(string assembly) => ConformancePlugin.EncodeHex(Assembler.AssembleToBytes(assembly)) + "\n";

    [Fact]
    public void Memory_comes_first_and_r1_r2_describe_it()
    {
        var result = Run(["07  01  02  ", "--engine interpreter"], Program(ReturnsLengthPlusFirstByte));

        Assert.Equal(0, result.Exit);
        Assert.Equal("a\n", result.Stdout.Replace("\r", ""));
    }

    [Theory]
    [InlineData("--engine jit")]
    [InlineData("--engine interpreter")]
    [InlineData("--engine=jit")]
    [InlineData("")]
    public void Options_may_come_as_one_argument_or_be_empty(string options)
    {
        var result = Run(["05  ", options], Program(ReturnsLengthPlusFirstByte));

        Assert.Equal(0, result.Exit);
        Assert.Equal("6", result.Stdout.Trim());
    }

    [Fact]
    public void Options_may_come_as_separate_arguments_without_memory()
    {
        var result = Run(["--engine", "interpreter"], Program("mov %r0, %r1\nadd %r0, %r2\nexit"));

        Assert.Equal(0, result.Exit);
        Assert.Equal("0", result.Stdout.Trim());
    }

    [Fact]
    public void Empty_memory_argument_means_r1_is_zero()
    {
        var result = Run(["", ""], Program("mov %r0, %r1\nor %r0, 0x40\nexit"));

        Assert.Equal("40", result.Stdout.Trim());
    }

    [Fact]
    public void Helper_5_returns_its_first_argument()
    {
        var result = Run([""], Program("mov %r1, 0x2a\ncall 5\nexit"));

        Assert.Equal("2a", result.Stdout.Trim());
    }

    [Fact]
    public void The_memory_is_a_writable_copy()
    {
        var result = Run(["01  02  03  04  "], Program("stw [%r1], 0x11223344\nldxw %r0, [%r1]\nexit"));

        Assert.Equal("11223344", result.Stdout.Trim());
    }

    [Fact]
    public void A_program_that_does_not_load_prints_why_and_exits_1()
    {
        var result = Run([""], "95  00  00  00  00  00  00\n");

        Assert.Equal(ConformancePlugin.ExitProgramError, result.Exit);
        Assert.Contains("not a multiple of 8", result.Stdout);
    }

    [Fact]
    public void A_rejected_program_names_the_instruction()
    {
        var result = Run([""], Program("mov %r0, 1\nja +5\nexit"));

        Assert.Equal(ConformancePlugin.ExitProgramError, result.Exit);
        Assert.StartsWith("1: jump out of range", result.Stdout);
    }

    [Theory]
    [InlineData("--engine llvm")]
    [InlineData("--verbose")]
    public void Bad_options_exit_2_with_usage(string options)
    {
        var result = Run(["", options], Program("exit"));

        Assert.Equal(ConformancePlugin.ExitUsageError, result.Exit);
        Assert.Contains("usage:", result.Stderr);
    }

    [Fact]
    public void Bad_memory_exits_2()
    {
        var result = Run(["zz  "], Program("exit"));

        Assert.Equal(ConformancePlugin.ExitUsageError, result.Exit);
    }
}
