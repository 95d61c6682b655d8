using System.Runtime.CompilerServices;
using Bpf.Native.Execution;
using Bpf.Native.Helpers;
using Bpf.Native.Isa;
using Bpf.Native.Semantics;
using Bpf.Native.Verifier;

namespace Bpf.Native.Interpreter;

/// <summary>
/// The interpreter: one loop over prepared instructions, one case per canonical operation, each calling the
/// semantics table (Semantics/). Registers and call frames live on the native stack, so a run allocates nothing.
/// </summary>
internal sealed unsafe class InterpretedProgram : BpfProgram
{
    private readonly InterpreterInstruction[] _code;
    private readonly HelperDispatchTable _helpers;

    public InterpretedProgram(VerifiedProgram program)
        : base(program)
    {
        _helpers = program.Helpers;
        var instructions = program.InstructionSpan;
        _code = GC.AllocateArray<InterpreterInstruction>(instructions.Length, pinned: true);
        for (int index = 0; index < instructions.Length; index++)
        {
            var instruction = instructions[index];
            ref var prepared = ref _code[index];
            prepared.Operation = instruction.Operation;
            prepared.Dst = instruction.Dst;
            prepared.Src = instruction.Src;
            prepared.UsesRegister = instruction.Source == OperandSource.Register ? (byte)1 : (byte)0;
            prepared.Offset = instruction.Offset;
            prepared.Immediate = instruction.Immediate;
            switch (instruction.Shape)
            {
                case OperationShape.Jump or OperationShape.ConditionalJump:
                    prepared.Offset = program.TargetOf(index);
                    break;
                case OperationShape.CallLocal:
                    prepared.Offset = program.TargetOf(index);
                    prepared.Immediate = program.SubprogramOf(index).FrameBytes;
                    break;
                case OperationShape.Call:
                    _helpers.TryGet((int)instruction.Immediate, out var helper);
                    prepared.Immediate = helper!.FunctionPointer;
                    // Src is unused by a helper call: it marks helpers that may end the run.
                    prepared.Src = helper.MayEndProgram ? (byte)1 : (byte)0;
                    break;
            }
        }
    }

    public override EngineKind Engine => EngineKind.Interpreter;

    [SkipLocalsInit]
    private protected override ulong Execute(BpfRunContext* run)
    {
        ulong* r = stackalloc ulong[11];
        for (int n = 0; n < 11; n++)
        {
            r[n] = 0;
        }
        r[1] = (ulong)run->Context;
        r[2] = run->ContextLength;
        r[10] = (ulong)run->StackTop;
        InterpreterFrame* frames = stackalloc InterpreterFrame[CallConvention.MaxCallFrames];
        int depth = 0;
        var code = (InterpreterInstruction*)Unsafe.AsPointer(ref _code[0]);
        var ip = code;
        while (true)
        {
            var i = ip++;
            ulong operand = i->UsesRegister != 0 ? r[i->Src] : (ulong)i->Immediate;
            switch (i->Operation)
            {
                case Operation.Add64: r[i->Dst] = AluSemantics.Add64(r[i->Dst], operand); continue;
                case Operation.Sub64: r[i->Dst] = AluSemantics.Sub64(r[i->Dst], operand); continue;
                case Operation.Mul64: r[i->Dst] = AluSemantics.Mul64(r[i->Dst], operand); continue;
                case Operation.Div64: r[i->Dst] = AluSemantics.Div64(r[i->Dst], operand); continue;
                case Operation.SDiv64: r[i->Dst] = AluSemantics.SDiv64(r[i->Dst], operand); continue;
                case Operation.Or64: r[i->Dst] = AluSemantics.Or64(r[i->Dst], operand); continue;
                case Operation.And64: r[i->Dst] = AluSemantics.And64(r[i->Dst], operand); continue;
                case Operation.Lsh64: r[i->Dst] = AluSemantics.Lsh64(r[i->Dst], operand); continue;
                case Operation.Rsh64: r[i->Dst] = AluSemantics.Rsh64(r[i->Dst], operand); continue;
                case Operation.Neg64: r[i->Dst] = AluSemantics.Neg64(r[i->Dst], operand); continue;
                case Operation.Mod64: r[i->Dst] = AluSemantics.Mod64(r[i->Dst], operand); continue;
                case Operation.SMod64: r[i->Dst] = AluSemantics.SMod64(r[i->Dst], operand); continue;
                case Operation.Xor64: r[i->Dst] = AluSemantics.Xor64(r[i->Dst], operand); continue;
                case Operation.Mov64: r[i->Dst] = AluSemantics.Mov64(r[i->Dst], operand); continue;
                case Operation.MovSx8To64: r[i->Dst] = AluSemantics.MovSx8To64(r[i->Dst], operand); continue;
                case Operation.MovSx16To64: r[i->Dst] = AluSemantics.MovSx16To64(r[i->Dst], operand); continue;
                case Operation.MovSx32To64: r[i->Dst] = AluSemantics.MovSx32To64(r[i->Dst], operand); continue;
                case Operation.Arsh64: r[i->Dst] = AluSemantics.Arsh64(r[i->Dst], operand); continue;
                case Operation.Add32: r[i->Dst] = AluSemantics.Add32(r[i->Dst], operand); continue;
                case Operation.Sub32: r[i->Dst] = AluSemantics.Sub32(r[i->Dst], operand); continue;
                case Operation.Mul32: r[i->Dst] = AluSemantics.Mul32(r[i->Dst], operand); continue;
                case Operation.Div32: r[i->Dst] = AluSemantics.Div32(r[i->Dst], operand); continue;
                case Operation.SDiv32: r[i->Dst] = AluSemantics.SDiv32(r[i->Dst], operand); continue;
                case Operation.Or32: r[i->Dst] = AluSemantics.Or32(r[i->Dst], operand); continue;
                case Operation.And32: r[i->Dst] = AluSemantics.And32(r[i->Dst], operand); continue;
                case Operation.Lsh32: r[i->Dst] = AluSemantics.Lsh32(r[i->Dst], operand); continue;
                case Operation.Rsh32: r[i->Dst] = AluSemantics.Rsh32(r[i->Dst], operand); continue;
                case Operation.Neg32: r[i->Dst] = AluSemantics.Neg32(r[i->Dst], operand); continue;
                case Operation.Mod32: r[i->Dst] = AluSemantics.Mod32(r[i->Dst], operand); continue;
                case Operation.SMod32: r[i->Dst] = AluSemantics.SMod32(r[i->Dst], operand); continue;
                case Operation.Xor32: r[i->Dst] = AluSemantics.Xor32(r[i->Dst], operand); continue;
                case Operation.Mov32: r[i->Dst] = AluSemantics.Mov32(r[i->Dst], operand); continue;
                case Operation.MovSx8To32: r[i->Dst] = AluSemantics.MovSx8To32(r[i->Dst], operand); continue;
                case Operation.MovSx16To32: r[i->Dst] = AluSemantics.MovSx16To32(r[i->Dst], operand); continue;
                case Operation.Arsh32: r[i->Dst] = AluSemantics.Arsh32(r[i->Dst], operand); continue;
                case Operation.ToLe16: r[i->Dst] = AluSemantics.ToLe16(r[i->Dst], operand); continue;
                case Operation.ToLe32: r[i->Dst] = AluSemantics.ToLe32(r[i->Dst], operand); continue;
                case Operation.ToLe64: r[i->Dst] = AluSemantics.ToLe64(r[i->Dst], operand); continue;
                case Operation.ToBe16: r[i->Dst] = AluSemantics.ToBe16(r[i->Dst], operand); continue;
                case Operation.ToBe32: r[i->Dst] = AluSemantics.ToBe32(r[i->Dst], operand); continue;
                case Operation.ToBe64: r[i->Dst] = AluSemantics.ToBe64(r[i->Dst], operand); continue;
                case Operation.Swap16: r[i->Dst] = AluSemantics.Swap16(r[i->Dst], operand); continue;
                case Operation.Swap32: r[i->Dst] = AluSemantics.Swap32(r[i->Dst], operand); continue;
                case Operation.Swap64: r[i->Dst] = AluSemantics.Swap64(r[i->Dst], operand); continue;
                case Operation.Jeq64: if (JumpSemantics.Jeq64(r[i->Dst], operand)) { ip = code + i->Offset; } continue;
                case Operation.Jgt64: if (JumpSemantics.Jgt64(r[i->Dst], operand)) { ip = code + i->Offset; } continue;
                case Operation.Jge64: if (JumpSemantics.Jge64(r[i->Dst], operand)) { ip = code + i->Offset; } continue;
                case Operation.Jset64: if (JumpSemantics.Jset64(r[i->Dst], operand)) { ip = code + i->Offset; } continue;
                case Operation.Jne64: if (JumpSemantics.Jne64(r[i->Dst], operand)) { ip = code + i->Offset; } continue;
                case Operation.Jsgt64: if (JumpSemantics.Jsgt64(r[i->Dst], operand)) { ip = code + i->Offset; } continue;
                case Operation.Jsge64: if (JumpSemantics.Jsge64(r[i->Dst], operand)) { ip = code + i->Offset; } continue;
                case Operation.Jlt64: if (JumpSemantics.Jlt64(r[i->Dst], operand)) { ip = code + i->Offset; } continue;
                case Operation.Jle64: if (JumpSemantics.Jle64(r[i->Dst], operand)) { ip = code + i->Offset; } continue;
                case Operation.Jslt64: if (JumpSemantics.Jslt64(r[i->Dst], operand)) { ip = code + i->Offset; } continue;
                case Operation.Jsle64: if (JumpSemantics.Jsle64(r[i->Dst], operand)) { ip = code + i->Offset; } continue;
                case Operation.Jeq32: if (JumpSemantics.Jeq32(r[i->Dst], operand)) { ip = code + i->Offset; } continue;
                case Operation.Jgt32: if (JumpSemantics.Jgt32(r[i->Dst], operand)) { ip = code + i->Offset; } continue;
                case Operation.Jge32: if (JumpSemantics.Jge32(r[i->Dst], operand)) { ip = code + i->Offset; } continue;
                case Operation.Jset32: if (JumpSemantics.Jset32(r[i->Dst], operand)) { ip = code + i->Offset; } continue;
                case Operation.Jne32: if (JumpSemantics.Jne32(r[i->Dst], operand)) { ip = code + i->Offset; } continue;
                case Operation.Jsgt32: if (JumpSemantics.Jsgt32(r[i->Dst], operand)) { ip = code + i->Offset; } continue;
                case Operation.Jsge32: if (JumpSemantics.Jsge32(r[i->Dst], operand)) { ip = code + i->Offset; } continue;
                case Operation.Jlt32: if (JumpSemantics.Jlt32(r[i->Dst], operand)) { ip = code + i->Offset; } continue;
                case Operation.Jle32: if (JumpSemantics.Jle32(r[i->Dst], operand)) { ip = code + i->Offset; } continue;
                case Operation.Jslt32: if (JumpSemantics.Jslt32(r[i->Dst], operand)) { ip = code + i->Offset; } continue;
                case Operation.Jsle32: if (JumpSemantics.Jsle32(r[i->Dst], operand)) { ip = code + i->Offset; } continue;
                case Operation.LoadU8: r[i->Dst] = MemorySemantics.LoadU8(MemorySemantics.EffectiveAddress(r[i->Src], i->Offset)); continue;
                case Operation.LoadU16: r[i->Dst] = MemorySemantics.LoadU16(MemorySemantics.EffectiveAddress(r[i->Src], i->Offset)); continue;
                case Operation.LoadU32: r[i->Dst] = MemorySemantics.LoadU32(MemorySemantics.EffectiveAddress(r[i->Src], i->Offset)); continue;
                case Operation.LoadU64: r[i->Dst] = MemorySemantics.LoadU64(MemorySemantics.EffectiveAddress(r[i->Src], i->Offset)); continue;
                case Operation.LoadS8: r[i->Dst] = MemorySemantics.LoadS8(MemorySemantics.EffectiveAddress(r[i->Src], i->Offset)); continue;
                case Operation.LoadS16: r[i->Dst] = MemorySemantics.LoadS16(MemorySemantics.EffectiveAddress(r[i->Src], i->Offset)); continue;
                case Operation.LoadS32: r[i->Dst] = MemorySemantics.LoadS32(MemorySemantics.EffectiveAddress(r[i->Src], i->Offset)); continue;
                case Operation.Store8: MemorySemantics.Store8(MemorySemantics.EffectiveAddress(r[i->Dst], i->Offset), operand); continue;
                case Operation.Store16: MemorySemantics.Store16(MemorySemantics.EffectiveAddress(r[i->Dst], i->Offset), operand); continue;
                case Operation.Store32: MemorySemantics.Store32(MemorySemantics.EffectiveAddress(r[i->Dst], i->Offset), operand); continue;
                case Operation.Store64: MemorySemantics.Store64(MemorySemantics.EffectiveAddress(r[i->Dst], i->Offset), operand); continue;
                case Operation.AtomicAdd32: AtomicSemantics.AtomicAdd32(MemorySemantics.EffectiveAddress(r[i->Dst], i->Offset), r[i->Src]); continue;
                case Operation.AtomicOr32: AtomicSemantics.AtomicOr32(MemorySemantics.EffectiveAddress(r[i->Dst], i->Offset), r[i->Src]); continue;
                case Operation.AtomicAnd32: AtomicSemantics.AtomicAnd32(MemorySemantics.EffectiveAddress(r[i->Dst], i->Offset), r[i->Src]); continue;
                case Operation.AtomicXor32: AtomicSemantics.AtomicXor32(MemorySemantics.EffectiveAddress(r[i->Dst], i->Offset), r[i->Src]); continue;
                case Operation.AtomicFetchAdd32: r[i->Src] = AtomicSemantics.FetchAdd32(MemorySemantics.EffectiveAddress(r[i->Dst], i->Offset), r[i->Src]); continue;
                case Operation.AtomicFetchOr32: r[i->Src] = AtomicSemantics.FetchOr32(MemorySemantics.EffectiveAddress(r[i->Dst], i->Offset), r[i->Src]); continue;
                case Operation.AtomicFetchAnd32: r[i->Src] = AtomicSemantics.FetchAnd32(MemorySemantics.EffectiveAddress(r[i->Dst], i->Offset), r[i->Src]); continue;
                case Operation.AtomicFetchXor32: r[i->Src] = AtomicSemantics.FetchXor32(MemorySemantics.EffectiveAddress(r[i->Dst], i->Offset), r[i->Src]); continue;
                case Operation.AtomicExchange32: r[i->Src] = AtomicSemantics.Exchange32(MemorySemantics.EffectiveAddress(r[i->Dst], i->Offset), r[i->Src]); continue;
                case Operation.AtomicCompareExchange32: r[0] = AtomicSemantics.CompareExchange32(MemorySemantics.EffectiveAddress(r[i->Dst], i->Offset), r[0], r[i->Src]); continue;
                case Operation.AtomicAdd64: AtomicSemantics.AtomicAdd64(MemorySemantics.EffectiveAddress(r[i->Dst], i->Offset), r[i->Src]); continue;
                case Operation.AtomicOr64: AtomicSemantics.AtomicOr64(MemorySemantics.EffectiveAddress(r[i->Dst], i->Offset), r[i->Src]); continue;
                case Operation.AtomicAnd64: AtomicSemantics.AtomicAnd64(MemorySemantics.EffectiveAddress(r[i->Dst], i->Offset), r[i->Src]); continue;
                case Operation.AtomicXor64: AtomicSemantics.AtomicXor64(MemorySemantics.EffectiveAddress(r[i->Dst], i->Offset), r[i->Src]); continue;
                case Operation.AtomicFetchAdd64: r[i->Src] = AtomicSemantics.FetchAdd64(MemorySemantics.EffectiveAddress(r[i->Dst], i->Offset), r[i->Src]); continue;
                case Operation.AtomicFetchOr64: r[i->Src] = AtomicSemantics.FetchOr64(MemorySemantics.EffectiveAddress(r[i->Dst], i->Offset), r[i->Src]); continue;
                case Operation.AtomicFetchAnd64: r[i->Src] = AtomicSemantics.FetchAnd64(MemorySemantics.EffectiveAddress(r[i->Dst], i->Offset), r[i->Src]); continue;
                case Operation.AtomicFetchXor64: r[i->Src] = AtomicSemantics.FetchXor64(MemorySemantics.EffectiveAddress(r[i->Dst], i->Offset), r[i->Src]); continue;
                case Operation.AtomicExchange64: r[i->Src] = AtomicSemantics.Exchange64(MemorySemantics.EffectiveAddress(r[i->Dst], i->Offset), r[i->Src]); continue;
                case Operation.AtomicCompareExchange64: r[0] = AtomicSemantics.CompareExchange64(MemorySemantics.EffectiveAddress(r[i->Dst], i->Offset), r[0], r[i->Src]); continue;
                case Operation.PacketLoad8:
                {
                    long value = PacketSemantics.Load8(run, i->UsesRegister != 0 ? r[i->Src] + (ulong)i->Immediate : (ulong)i->Immediate);
                    if (value < 0)
                    {
                        return PacketSemantics.OutOfBoundsResult;
                    }
                    r[0] = (ulong)value;
                    continue;
                }
                case Operation.PacketLoad16:
                {
                    long value = PacketSemantics.Load16(run, i->UsesRegister != 0 ? r[i->Src] + (ulong)i->Immediate : (ulong)i->Immediate);
                    if (value < 0)
                    {
                        return PacketSemantics.OutOfBoundsResult;
                    }
                    r[0] = (ulong)value;
                    continue;
                }
                case Operation.PacketLoad32:
                {
                    long value = PacketSemantics.Load32(run, i->UsesRegister != 0 ? r[i->Src] + (ulong)i->Immediate : (ulong)i->Immediate);
                    if (value < 0)
                    {
                        return PacketSemantics.OutOfBoundsResult;
                    }
                    r[0] = (ulong)value;
                    continue;
                }
                case Operation.Ja or Operation.JaLong:
                    ip = code + i->Offset;
                    continue;
                case Operation.LoadImm64:
                    r[i->Dst] = (ulong)i->Immediate;
                    continue;
                case Operation.Call:
                    r[0] = ((delegate*<BpfRunContext*, ulong, ulong, ulong, ulong, ulong, ulong>)i->Immediate)(run, r[1], r[2], r[3], r[4], r[5]);
                    if (i->Src != 0 && run->ExitRequest != 0)
                    {
                        return 0;
                    }
                    continue;
                case Operation.CallRegister:
                    r[0] = HelperDispatchTable.CallById(_helpers.FunctionPointers, _helpers.Count, run, r[i->Dst], r[1], r[2], r[3], r[4], r[5]);
                    if (run->ExitRequest != 0)
                    {
                        return 0;
                    }
                    continue;
                case Operation.CallLocal:
                {
                    // Depth and stack were bounded statically by the verifier (check_max_stack_depth).
                    var frame = frames + depth++;
                    frame->ReturnTo = ip;
                    for (int n = 1; n <= 9; n++)
                    {
                        frame->Registers[n - 1] = r[n];
                    }
                    frame->Registers[9] = r[10];
                    // The callee starts with only r1-r5 and its frame pointer, like a JIT-compiled function.
                    r[0] = 0;
                    r[6] = 0;
                    r[7] = 0;
                    r[8] = 0;
                    r[9] = 0;
                    r[10] = CallConvention.CalleeFramePointer(r[10], (int)i->Immediate);
                    ip = code + i->Offset;
                    continue;
                }
                case Operation.Exit:
                {
                    if (depth == 0)
                    {
                        return r[0];
                    }
                    var frame = frames + --depth;
                    ip = frame->ReturnTo;
                    for (int n = 1; n <= 9; n++)
                    {
                        r[n] = frame->Registers[n - 1];
                    }
                    r[10] = frame->Registers[9];
                    continue;
                }
                default:
                    throw new InvalidOperationException($"The interpreter cannot run {i->Operation}; the verifier should have rejected it.");
            }
        }
    }
}
