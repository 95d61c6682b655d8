using Bpf.Native.Verifier;

namespace Bpf.Native.Tests.Verifier;

/// <summary>
/// Every verifier case gets the verdict this machine's kernel gave it (Fixtures/verifier/kernel-verdicts.txt, made by
/// kernel-verdicts.sh) and, when rejected, the reason written at the top of the case, which is the kernel's.
/// </summary>
public sealed class VerifierCaseTests
{
    public static TheoryData<string> Cases() => new(VerifierFixtures.CaseNames);

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_verdict_and_reason_are_the_kernels(string name)
    {
        Assert.True(VerifierFixtures.KernelVerdicts.TryGetValue(name, out string? kernelReason),
            $"{name} has no kernel verdict: run Fixtures/verifier/kernel-verdicts.sh as root and commit its output");
        string? expected = VerifierFixtures.Expectation(name);
        Assert.Equal(kernelReason is null, expected is null);

        // VERIFIER_LOG_DIR=dir keeps each case's log there, to compare with the kernel's by eye.
        string? logDirectory = Environment.GetEnvironmentVariable("VERIFIER_LOG_DIR");
        if (expected is null)
        {
            var program = VerifierFixtures.Verify(name, logDirectory is not null ? 2 : 0);
            Assert.NotNull(program.Statistics);
            if (logDirectory is not null)
            {
                File.WriteAllText(Path.Combine(logDirectory, name + ".log"), program.Log);
            }
        }
        else
        {
            var error = Assert.Throws<VerifierException>(() => VerifierFixtures.Verify(name));
            if (logDirectory is not null)
            {
                File.WriteAllText(Path.Combine(logDirectory, name + ".log"), error.Log);
            }
            string firstLine = error.Reason.Split('\n')[0];
            Assert.Equal(expected, firstLine);
            Assert.Equal(kernelReason, firstLine);
            Assert.NotNull(error.Log);
        }
    }
}
