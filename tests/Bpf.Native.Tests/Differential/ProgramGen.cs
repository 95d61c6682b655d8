using Bpf.Native.Isa;
using Bpf.Native.Semantics;
using CsCheck;

namespace Bpf.Native.Tests.Differential;

/// <summary>
/// Generates valid random programs for differential testing: straight-line code over every ALU operation, forward
/// branches, bounded loops (a counter in r9 the loop body never writes), loads, stores and atomics on the stack
/// (r10) and on a 64-byte memory (r6), legacy packet loads (in bounds and out), helper calls and callx, and
/// optionally program-local calls. Pointers (r6, r10) never flow into arithmetic, so results do not depend on where
/// the buffers happen to be.
/// </summary>
internal static class ProgramGen
{
    public const int MemoryBytes = 64;
    public const byte MemoryBase = 6;
    public const byte LoopCounter = 9;
    public const int MixHelper = 1;

    private static readonly byte[] s_scratch = [0, 1, 2, 3, 4, 5, 7, 8];
    private static readonly byte[] s_readable = [0, 1, 2, 3, 4, 5, 7, 8, 9];

    private static readonly Gen<byte> s_scratchRegister = Gen.OneOfConst(s_scratch);
    private static readonly Gen<byte> s_readableRegister = Gen.OneOfConst(s_readable);

    private static readonly Operation[] s_aluOperations = OperationCatalog.All
        .Where(i => i.Shape == OperationShape.Alu).Select(i => i.Operation).ToArray();

    private static readonly Operation[] s_conditions = OperationCatalog.All
        .Where(i => i.Shape == OperationShape.ConditionalJump).Select(i => i.Operation).ToArray();

    private static readonly Operation[] s_loads = OperationCatalog.All
        .Where(i => i.Shape == OperationShape.Load).Select(i => i.Operation).ToArray();

    private static readonly Operation[] s_stores = OperationCatalog.All
        .Where(i => i.Shape == OperationShape.Store).Select(i => i.Operation).ToArray();

    private static readonly Operation[] s_atomics = OperationCatalog.All
        .Where(i => i.Shape is OperationShape.Atomic or OperationShape.AtomicFetch or OperationShape.AtomicCompareExchange)
        .Select(i => i.Operation).ToArray();

    private static readonly Operation[] s_packetLoads = OperationCatalog.All
        .Where(i => i.Shape == OperationShape.PacketLoad).Select(i => i.Operation).ToArray();

    /// <summary>Programs without local calls (packet loads allowed).</summary>
    public static readonly Gen<GeneratedProgram> Program = Gen.Select(
        Body(packets: true, stackBytes: CallConvention.MaxStackBytes, memory: true, entry: true),
        Gen.Byte.Array[MemoryBytes], Gen.Byte.Array[CallConvention.MaxStackBytes],
        (body, memory, stack) => new GeneratedProgram(body, memory, stack));

    /// <summary>Programs whose main function calls one or two local functions (no packet loads: the kernel forbids the mix).</summary>
    public static readonly Gen<GeneratedProgram> ProgramWithCalls = Gen.Select(
        Body(packets: false, stackBytes: 256, memory: true, entry: true),
        Body(packets: false, stackBytes: 256, memory: true, entry: false).Array[0, 2],
        Body(packets: false, stackBytes: 128, memory: false, entry: false).Array[1, 2],
        Gen.Int[0, 1000].Array[4],
        Gen.Byte.Array[MemoryBytes], Gen.Byte.Array[CallConvention.MaxStackBytes],
        (first, rest, functions, picks, memory, stack) =>
            new GeneratedProgram(Link([first, .. rest], functions, picks), memory, stack));

    /// <summary>
    /// A function body: set-up, segments, exit. The program's entry copies r1 (the memory) to r6 and gives the
    /// scratch registers random values; a called function keeps its arguments r1-r5 and has no memory pointer.
    /// </summary>
    private static Gen<Instruction[]> Body(bool packets, int stackBytes, bool memory, bool entry) => Gen.Select(
        Gen.Long.Array[s_scratch.Length],
        Segment(packets, stackBytes, memory).Array[1, 8],
        (initial, segments) =>
        {
            var code = new List<Instruction>();
            if (entry)
            {
                code.Add(Instruction.AluRegister(Operation.Mov64, MemoryBase, 1));
            }
            for (int i = 0; i < s_scratch.Length; i++)
            {
                if (entry || s_scratch[i] is 0 or 7 or 8)
                {
                    code.Add(Instruction.LoadImmediate64(s_scratch[i], initial[i]));
                }
            }
            foreach (var segment in segments)
            {
                code.AddRange(segment);
            }
            code.Add(Instruction.ExitProgram());
            return code.ToArray();
        });

    private static Gen<Instruction[]> Segment(bool packets, int stackBytes, bool memory)
    {
        var straight = StraightLine(packets, stackBytes, memory);
        return Gen.Frequency(
            (4, straight),
            (2, Gen.Select(Condition(), straight, (condition, body) =>
                Prepend(condition with { Offset = Slots(body) }, body))),
            (1, Gen.Select(Gen.Int[1, 5], straight, (count, body) =>
            {
                var loop = new List<Instruction> { Instruction.Alu(Operation.Mov64, LoopCounter, count) };
                loop.AddRange(body);
                loop.Add(Instruction.Alu(Operation.Add64, LoopCounter, -1));
                loop.Add(Instruction.JumpIf(Operation.Jne64, LoopCounter, 0, -(Slots(body) + 2)));
                return loop.ToArray();
            })));
    }

    private static Gen<Instruction[]> StraightLine(bool packets, int stackBytes, bool memory) => Gen.Frequency(
            (8, Alu().Select(One)),
            (3, Load(stackBytes, memory).Select(One)),
            (3, Store(stackBytes, memory).Select(One)),
            (1, Atomic(stackBytes, memory).Select(One)),
            (packets ? 1 : 0, PacketLoad().Select(One)),
            (1, HelperCall()))
        .Array[1, 6]
        .Select(parts => parts.SelectMany(p => p).ToArray());

    private static Gen<Instruction> Alu() => Gen.OneOfConst(s_aluOperations).SelectMany(operation =>
    {
        var info = OperationCatalog.Info(operation);
        if (info.Code is (byte)AluCode.End or (byte)AluCode.Neg)
        {
            return s_scratchRegister.Select(dst => new Instruction(operation, dst));
        }
        if (info.Code == (byte)AluCode.Mov && info.OffsetTag != 0)
        {
            return Gen.Select(s_scratchRegister, s_readableRegister, (dst, src) => Instruction.AluRegister(operation, dst, src));
        }
        return Gen.Select(s_scratchRegister, s_readableRegister, Gen.Bool, Support.InstructionGen.Immediate32,
            (dst, src, register, imm) => register
                ? Instruction.AluRegister(operation, dst, src)
                : Instruction.Alu(operation, dst, imm));
    });

    private static Gen<Instruction> Condition() => Gen.Select(
        Gen.OneOfConst(s_conditions), s_readableRegister, s_readableRegister, Gen.Bool, Support.InstructionGen.Immediate32,
        (operation, dst, src, register, imm) => register
            ? Instruction.JumpIfRegister(operation, dst, src, 0)
            : Instruction.JumpIf(operation, dst, imm, 0));

    /// <summary>A base register and an in-bounds offset for an access of <paramref name="size"/> bytes.</summary>
    private static Gen<(byte Base, short Offset)> Address(int size, bool aligned, int stackBytes, bool memory) =>
        Gen.Select(Gen.Bool, Gen.Int[0, 10_000], (onStack, n) =>
        {
            int unit = aligned ? size : 1;
            if (onStack || !memory)
            {
                int slots = (stackBytes - size) / unit + 1;
                return ((byte)CallConvention.FramePointerRegister, (short)-(size + unit * (n % slots)));
            }
            int memorySlots = (MemoryBytes - size) / unit + 1;
            return (MemoryBase, (short)(unit * (n % memorySlots)));
        });

    private static Gen<Instruction> Load(int stackBytes, bool memory) => Gen.OneOfConst(s_loads).SelectMany(operation =>
        Gen.Select(s_scratchRegister, Address(OperationCatalog.Info(operation).AccessBytes, false, stackBytes, memory),
            (dst, address) => Instruction.Load(operation, dst, address.Base, address.Offset)));

    private static Gen<Instruction> Store(int stackBytes, bool memory) => Gen.OneOfConst(s_stores).SelectMany(operation =>
        Gen.Select(s_readableRegister, Gen.Bool, Support.InstructionGen.Immediate32,
            Address(OperationCatalog.Info(operation).AccessBytes, false, stackBytes, memory),
            (src, register, imm, address) => register
                ? Instruction.Store(operation, address.Base, address.Offset, src)
                : Instruction.StoreImmediate(operation, address.Base, address.Offset, imm)));

    private static Gen<Instruction> Atomic(int stackBytes, bool memory) => Gen.OneOfConst(s_atomics).SelectMany(operation =>
        Gen.Select(s_scratchRegister, Address(OperationCatalog.Info(operation).AccessBytes, true, stackBytes, memory),
            (src, address) => Instruction.AtomicOp(operation, address.Base, address.Offset, src)));

    private static Gen<Instruction> PacketLoad() => Gen.OneOfConst(s_packetLoads).SelectMany(operation => Gen.Frequency(
        (3, Gen.Int[-2, MemoryBytes + 2].Select(offset => Instruction.PacketLoad(operation, offset))),
        (1, Gen.Int[0, 70].Select(offset => Instruction.PacketLoad(operation, PacketSemantics.LinkLayerOffsetBase + offset))),
        (2, Gen.Select(s_readableRegister, Gen.Int[-8, MemoryBytes],
            (src, imm) => Instruction.PacketLoadIndirect(operation, src, imm)))));

    private static Gen<Instruction[]> HelperCall() => Gen.Frequency(
        (3, Gen.Const(new[] { Instruction.CallHelper(MixHelper) })),
        (1, s_scratchRegister.Select(register => new[]
        {
            Instruction.Alu(Operation.Mov64, register, MixHelper),
            new Instruction(Operation.CallRegister, register),
        })));

    /// <summary>Main parts joined by local calls to the functions, which are laid out after main.</summary>
    private static Instruction[] Link(Instruction[][] mainParts, Instruction[][] functions, int[] picks)
    {
        // Each main part but the last loses its exit; a call to a chosen function follows it.
        var main = new List<Instruction>();
        var calls = new List<(int Index, int Function)>();
        for (int p = 0; p < mainParts.Length; p++)
        {
            var part = mainParts[p];
            main.AddRange(p < mainParts.Length - 1 ? part[..^1] : part);
            if (p < mainParts.Length - 1)
            {
                calls.Add((main.Count, picks[p] % functions.Length));
                main.Add(Instruction.CallLocalFunction(0));
            }
        }
        if (calls.Count == 0)
        {
            main.Insert(main.Count - 1, Instruction.CallLocalFunction(0));
            calls.Add((main.Count - 2, picks[3] % functions.Length));
        }

        var code = new List<Instruction>(main);
        var functionStartSlots = new int[functions.Length];
        foreach (var (function, index) in functions.Select((f, i) => (f, i)))
        {
            functionStartSlots[index] = Slots(code.ToArray());
            code.AddRange(function);
        }
        foreach (var (index, function) in calls)
        {
            int callSlot = Slots(code.Take(index).ToArray());
            code[index] = Instruction.CallLocalFunction(functionStartSlots[function] - (callSlot + 1));
        }
        return code.ToArray();
    }

    private static Instruction[] One(Instruction instruction) => [instruction];

    private static Instruction[] Prepend(Instruction first, Instruction[] rest) => [first, .. rest];

    private static int Slots(IEnumerable<Instruction> code) => code.Sum(i => i.Slots);
}
