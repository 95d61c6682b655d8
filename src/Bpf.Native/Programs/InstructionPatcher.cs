using Bpf.Native.Isa;

namespace Bpf.Native.Programs;

/// <summary>
/// Replaces single instructions with sequences and keeps every jump and local call pointing where it did, as the
/// kernel's bpf_patch_insn_data() / bpf_adjust_branches() do when the verifier rewrites context accesses: a branch
/// to a patched instruction lands on the first instruction of its patch; displacements inside a patch are the
/// patch's own (relative to its instructions) and are left alone.
/// </summary>
public static class InstructionPatcher
{
    /// <summary>
    /// The program with instruction <c>i</c> replaced by <c>patches[i]</c> wherever a patch is given (a patch may
    /// hold the original instruction; it must not be empty). Jumps and local calls outside the patches keep their
    /// targets. Patches must not replace jumps or calls.
    /// </summary>
    public static Instruction[] Apply(IReadOnlyList<Instruction> program, IReadOnlyDictionary<int, Instruction[]> patches)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(patches);
        if (patches.Count == 0)
        {
            return [.. program];
        }

        int count = program.Count;
        // Old slot positions, and the new slot position of each old instruction (its patch's first slot).
        var oldSlot = new int[count + 1];
        var newSlot = new int[count + 1];
        for (int i = 0; i < count; i++)
        {
            oldSlot[i + 1] = oldSlot[i] + program[i].Slots;
            int width = program[i].Slots;
            if (patches.TryGetValue(i, out Instruction[]? patch))
            {
                if (patch.Length == 0)
                {
                    throw new ArgumentException($"the patch of instruction {i} is empty", nameof(patches));
                }
                if (program[i].IsJump || program[i].Shape == OperationShape.CallLocal)
                {
                    throw new ArgumentException($"instruction {i} is a jump or call and cannot be patched", nameof(patches));
                }
                width = 0;
                foreach (Instruction instruction in patch)
                {
                    width += instruction.Slots;
                }
            }
            newSlot[i + 1] = newSlot[i] + width;
        }
        var indexOfOldSlot = new Dictionary<int, int>(count + 1);
        for (int i = 0; i <= count; i++)
        {
            indexOfOldSlot[oldSlot[i]] = i;
        }

        var result = new List<Instruction>(count + patches.Count * 2);
        for (int i = 0; i < count; i++)
        {
            if (patches.TryGetValue(i, out Instruction[]? patch))
            {
                result.AddRange(patch);
                continue;
            }
            Instruction instruction = program[i];
            if (instruction.IsJump || instruction.Shape == OperationShape.CallLocal)
            {
                int targetSlot = oldSlot[i] + instruction.Slots + instruction.Offset;
                if (!indexOfOldSlot.TryGetValue(targetSlot, out int target))
                {
                    throw new ArgumentException($"instruction {i} jumps to slot {targetSlot}, which starts no instruction", nameof(program));
                }
                int displacement = newSlot[target] - (newSlot[i] + instruction.Slots);
                if (instruction.Operation == Operation.Ja || instruction.IsJump && instruction.Operation != Operation.JaLong)
                {
                    if (displacement is < short.MinValue or > short.MaxValue)
                    {
                        throw new InvalidOperationException($"after patching, the jump at instruction {i} spans {displacement} slots, beyond a 16-bit offset");
                    }
                }
                instruction = instruction with { Offset = displacement };
            }
            result.Add(instruction);
        }
        return [.. result];
    }
}
