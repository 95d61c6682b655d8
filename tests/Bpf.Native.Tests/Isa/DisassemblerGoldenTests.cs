using System.Text.RegularExpressions;
using Bpf.Native.Isa;
using Bpf.Native.Tests.Support;

namespace Bpf.Native.Tests.Isa;

/// <summary>
/// Golden tests: objects built with clang at test setup, disassembled by us, compared line by line with what
/// llvm-objdump printed for the same objects (Fixtures/golden/*.objdump, made by Fixtures/golden/regenerate.sh).
/// The golden bytes must equal the freshly built section, so a golden file cannot silently go stale. llvm-objdump's
/// branch annotations ("&lt;LBB0_2&gt;") are dropped; where LLVM 14's objdump is wrong or prints &lt;unknown&gt;,
/// the expected text is listed in <see cref="s_llvm14Deviations"/>.
/// </summary>
public sealed partial class DisassemblerGoldenTests
{
    /// <summary>Slot bytes -> what we print where llvm-objdump 14 does not print LLVM's own syntax.</summary>
    private static readonly Dictionary<string, string> s_llvm14Deviations = new()
    {
        // 32-bit atomic and: only in LLVM's alu32 decoder table, which objdump 14 does not consult: <unknown>.
        ["c3 2a f8 ff 50 00 00 00"] = "lock *(u32 *)(r10 - 8) &= w2",
        // 32-bit atomic fetch-add: objdump 14 ignores the fetch bit and prints "lock *(u32 *)(r10 - 8) += r6".
        ["c3 6a f8 ff 01 00 00 00"] = "w6 = atomic_fetch_add((u32 *)(r10 - 8), w6)",
    };

    public static TheoryData<string, string, string> Fixtures() => new()
    {
        { "cls.o", "classify", "cls.classify.objdump" },
        { "mixed.o", "classify", "mixed.classify.objdump" },
        { "mixed.o", ".text", "mixed.text.objdump" },
        { "all-v3.o", ".text", "all-v3.text.objdump" },
    };

    [GeneratedRegex(@"^\s*(\d+):\t([0-9a-f ]+)\t(.*)$")]
    private static partial Regex InstructionLine();

    [GeneratedRegex(@" <[^<> ]+>$")]
    private static partial Regex BranchAnnotation();

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Disassembly_matches_llvm_objdump(string objectName, string section, string golden)
    {
        byte[] bytes = ClangFixtures.Section(objectName, section);
        var expected = File.ReadAllLines(Path.Combine(TestPaths.Fixtures, "golden", golden))
            .Select(line => InstructionLine().Match(line))
            .Where(match => match.Success)
            .Select(match => (Slot: match.Groups[1].Value, Bytes: match.Groups[2].Value, Text: BranchAnnotation().Replace(match.Groups[3].Value, "")))
            .ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(string.Join(" ", expected.Select(e => e.Bytes)), string.Join(" ", bytes.Select(b => b.ToString("x2"))));

        var actual = Disassembler.Disassemble(bytes).TrimEnd('\n').Split('\n');

        Assert.Equal(expected.Count, actual.Length);
        for (int i = 0; i < expected.Count; i++)
        {
            var (slot, slotBytes, text) = expected[i];
            string expectedText = s_llvm14Deviations.TryGetValue(slotBytes, out var corrected) ? corrected : text;
            Assert.Equal($"{slot.PadLeft(8)}:\t{slotBytes}\t{expectedText}", actual[i]);
        }
    }

    [Fact]
    public void Every_listed_deviation_is_a_line_llvm_objdump_14_gets_wrong()
    {
        var goldenLines = Directory.GetFiles(Path.Combine(TestPaths.Fixtures, "golden"), "*.objdump")
            .SelectMany(File.ReadAllLines)
            .Select(line => InstructionLine().Match(line))
            .Where(match => match.Success)
            .ToList();
        foreach (var (bytes, text) in s_llvm14Deviations)
        {
            var line = Assert.Single(goldenLines, match => match.Groups[2].Value == bytes);
            Assert.NotEqual(text, line.Groups[3].Value);
        }
    }
}
