using System.Reflection;
using System.Reflection.Emit;
using Bpf.Native.Execution;
using Bpf.Native.Helpers;
using Bpf.Native.Isa;
using Bpf.Native.Semantics;
using Bpf.Native.Verifier;

namespace Bpf.Native.Jit;

/// <summary>
/// Emits the IL of one function. The entry function takes the run context; a called function also takes r1-r5
/// and its r10. Every instruction gets a label; every operation calls its semantics-table method, or emits the
/// proven-equal inline IL of <see cref="IlLowering"/>; exit returns r0, and a failed packet load or a pending tail
/// call or abort returns 0 at once.
/// </summary>
internal sealed unsafe class FunctionEmitter
{
    private static readonly Type[] s_entryParameters = [typeof(BpfRunContext*)];

    private static readonly Type[] s_calleeParameters =
    [
        typeof(BpfRunContext*), typeof(ulong), typeof(ulong), typeof(ulong), typeof(ulong), typeof(ulong), typeof(ulong),
    ];

    private static readonly FieldInfo s_contextField = RunContextField(nameof(BpfRunContext.Context));
    private static readonly FieldInfo s_contextLengthField = RunContextField(nameof(BpfRunContext.ContextLength));
    private static readonly FieldInfo s_stackTopField = RunContextField(nameof(BpfRunContext.StackTop));
    private static readonly FieldInfo s_exitRequestField = RunContextField(nameof(BpfRunContext.ExitRequest));
    private static readonly MethodInfo s_effectiveAddress = typeof(MemorySemantics).GetMethod(nameof(MemorySemantics.EffectiveAddress))!;
    private static readonly MethodInfo s_calleeFramePointer = typeof(CallConvention).GetMethod(nameof(CallConvention.CalleeFramePointer))!;
    private static readonly MethodInfo s_callById = typeof(HelperDispatchTable).GetMethod(nameof(HelperDispatchTable.CallById))!;

    private readonly VerifiedProgram _program;
    private readonly Subprogram _function;
    private readonly DynamicMethod[] _methods;
    private readonly ILGenerator _il;
    private readonly LocalBuilder[] _registers = new LocalBuilder[11];
    private readonly Label[] _labels;
    private readonly Label _returnZero;
    private LocalBuilder? _packetValue;

    public FunctionEmitter(VerifiedProgram program, Subprogram function, DynamicMethod[] methods)
    {
        _program = program;
        _function = function;
        _methods = methods;
        _il = methods[function.Index].GetILGenerator(64 + function.Length * 24);
        for (int r = 0; r < _registers.Length; r++)
        {
            _registers[r] = _il.DeclareLocal(typeof(ulong));
        }
        _labels = new Label[function.Length];
        for (int i = 0; i < _labels.Length; i++)
        {
            _labels[i] = _il.DefineLabel();
        }
        _returnZero = _il.DefineLabel();
    }

    public static DynamicMethod Declare(Subprogram function) => new(
        $"bpf_function_{function.Index}",
        typeof(ulong),
        function.Index == 0 ? s_entryParameters : s_calleeParameters,
        typeof(FunctionEmitter).Module,
        skipVisibility: true)
    {
        // The kernel does not clear the stack or unused registers either; registers are cleared explicitly below.
        InitLocals = false,
    };

    public void Emit()
    {
        EmitPrologue();
        var code = _program.InstructionSpan;
        for (int index = _function.Start; index < _function.End; index++)
        {
            _il.MarkLabel(_labels[index - _function.Start]);
            EmitInstruction(index, code[index]);
        }
        _il.MarkLabel(_returnZero);
        _il.Emit(OpCodes.Ldc_I8, 0L);
        _il.Emit(OpCodes.Ret);
    }

    private void EmitPrologue()
    {
        for (int r = 0; r < _registers.Length; r++)
        {
            _il.Emit(OpCodes.Ldc_I8, 0L);
            Store(r);
        }
        if (_function.Index == 0)
        {
            _il.Emit(OpCodes.Ldarg_0);
            _il.Emit(OpCodes.Ldfld, s_contextField);
            _il.Emit(OpCodes.Conv_U8);
            Store(1);
            _il.Emit(OpCodes.Ldarg_0);
            _il.Emit(OpCodes.Ldfld, s_contextLengthField);
            Store(2);
            _il.Emit(OpCodes.Ldarg_0);
            _il.Emit(OpCodes.Ldfld, s_stackTopField);
            _il.Emit(OpCodes.Conv_U8);
            Store(CallConvention.FramePointerRegister);
            return;
        }
        for (int r = 1; r <= CallConvention.ArgumentRegisterCount; r++)
        {
            _il.Emit(OpCodes.Ldarg, (short)r);
            Store(r);
        }
        _il.Emit(OpCodes.Ldarg, (short)(CallConvention.ArgumentRegisterCount + 1));
        Store(CallConvention.FramePointerRegister);
    }

    private void EmitInstruction(int index, Instruction instruction)
    {
        var info = instruction.Info;
        switch (info.Shape)
        {
            case OperationShape.Alu when IlLowering.LowersAlu(instruction.Operation):
                IlLowering.EmitAlu(_il, instruction.Operation, () => Load(instruction.Dst), () => LoadOperand(instruction),
                    instruction.Source == OperandSource.Immediate ? instruction.Immediate : null);
                Store(instruction.Dst);
                break;

            case OperationShape.Alu:
                Load(instruction.Dst);
                LoadOperand(instruction);
                Call(SemanticsTable.Method(instruction.Operation));
                Store(instruction.Dst);
                break;

            case OperationShape.ConditionalJump:
                IlLowering.EmitConditionalJump(_il, instruction.Operation, () => Load(instruction.Dst),
                    () => LoadOperand(instruction), TargetLabel(index));
                break;

            case OperationShape.Jump:
                _il.Emit(OpCodes.Br, TargetLabel(index));
                break;

            case OperationShape.LoadImm64:
                LoadConstant(instruction.Immediate);
                Store(instruction.Dst);
                break;

            case OperationShape.Load:
                NativeAddress(instruction.Src, instruction.Offset);
                IlLowering.EmitLoad(_il, instruction.Operation);
                Store(instruction.Dst);
                break;

            case OperationShape.Store:
                NativeAddress(instruction.Dst, instruction.Offset);
                LoadOperand(instruction);
                IlLowering.EmitStore(_il, instruction.Operation);
                break;

            case OperationShape.Atomic:
                EffectiveAddress(instruction.Dst, instruction.Offset);
                Load(instruction.Src);
                Call(SemanticsTable.Method(instruction.Operation));
                break;

            case OperationShape.AtomicFetch:
                EffectiveAddress(instruction.Dst, instruction.Offset);
                Load(instruction.Src);
                Call(SemanticsTable.Method(instruction.Operation));
                Store(instruction.Src);
                break;

            case OperationShape.AtomicCompareExchange:
                EffectiveAddress(instruction.Dst, instruction.Offset);
                Load(0);
                Load(instruction.Src);
                Call(SemanticsTable.Method(instruction.Operation));
                Store(0);
                break;

            case OperationShape.PacketLoad:
                _packetValue ??= _il.DeclareLocal(typeof(long));
                _il.Emit(OpCodes.Ldarg_0);
                if (instruction.Source == OperandSource.Register)
                {
                    Load(instruction.Src);
                    LoadConstant(instruction.Immediate);
                    _il.Emit(OpCodes.Add);
                }
                else
                {
                    LoadConstant(instruction.Immediate);
                }
                Call(SemanticsTable.Method(instruction.Operation));
                _il.Emit(OpCodes.Stloc, _packetValue);
                _il.Emit(OpCodes.Ldloc, _packetValue);
                _il.Emit(OpCodes.Ldc_I4_0);
                _il.Emit(OpCodes.Conv_I8);
                _il.Emit(OpCodes.Blt, _returnZero);
                _il.Emit(OpCodes.Ldloc, _packetValue);
                Store(0);
                break;

            case OperationShape.Call:
            {
                _program.Helpers.TryGet((int)instruction.Immediate, out var helper);
                _il.Emit(OpCodes.Ldarg_0);
                LoadArguments();
                Call(helper!.Method);
                Store(0);
                if (helper.MayEndProgram)
                {
                    ReturnZeroOnExitRequest();
                }
                break;
            }

            case OperationShape.CallRegister:
                _il.Emit(OpCodes.Ldc_I8, (long)_program.Helpers.FunctionPointers);
                _il.Emit(OpCodes.Conv_I);
                _il.Emit(OpCodes.Ldc_I4, _program.Helpers.Count);
                _il.Emit(OpCodes.Ldarg_0);
                Load(instruction.Dst);
                LoadArguments();
                Call(s_callById);
                Store(0);
                ReturnZeroOnExitRequest();
                break;

            case OperationShape.CallLocal:
            {
                var callee = _program.SubprogramAt(_program.TargetOf(index));
                _il.Emit(OpCodes.Ldarg_0);
                LoadArguments();
                Load(CallConvention.FramePointerRegister);
                _il.Emit(OpCodes.Ldc_I4, _function.FrameBytes);
                Call(s_calleeFramePointer);
                Call(_methods[callee.Index]);
                Store(0);
                if (_program.MayEndEarly)
                {
                    ReturnZeroOnExitRequest();
                }
                break;
            }

            case OperationShape.Exit:
                Load(0);
                _il.Emit(OpCodes.Ret);
                break;

            default:
                throw new InvalidOperationException($"The JIT cannot compile {instruction.Operation}; the verifier should have rejected it.");
        }
    }

    private Label TargetLabel(int index) => _labels[_program.TargetOf(index) - _function.Start];

    private void LoadOperand(Instruction instruction)
    {
        if (instruction.Source == OperandSource.Register)
        {
            Load(instruction.Src);
        }
        else
        {
            LoadConstant(instruction.Immediate);
        }
    }

    /// <summary>Pushes a 64-bit constant in the shortest IL form.</summary>
    private void LoadConstant(long value)
    {
        if (value is >= int.MinValue and <= int.MaxValue)
        {
            _il.Emit(OpCodes.Ldc_I4, (int)value);
            _il.Emit(OpCodes.Conv_I8);
        }
        else
        {
            _il.Emit(OpCodes.Ldc_I8, value);
        }
    }

    /// <summary>Pushes base + offset as a native pointer, for the inline loads and stores.</summary>
    private void NativeAddress(int baseRegister, int offset)
    {
        Load(baseRegister);
        if (offset != 0)
        {
            LoadConstant(offset);
            _il.Emit(OpCodes.Add);
        }
        _il.Emit(OpCodes.Conv_U);
    }

    private void LoadArguments()
    {
        for (int r = 1; r <= CallConvention.ArgumentRegisterCount; r++)
        {
            Load(r);
        }
    }

    /// <summary>Pushes base + offset as the ulong address the table's atomic methods take.</summary>
    private void EffectiveAddress(int baseRegister, int offset)
    {
        Load(baseRegister);
        LoadConstant(offset);
        Call(s_effectiveAddress);
    }

    private void ReturnZeroOnExitRequest()
    {
        _il.Emit(OpCodes.Ldarg_0);
        _il.Emit(OpCodes.Ldfld, s_exitRequestField);
        _il.Emit(OpCodes.Brtrue, _returnZero);
    }

    private void Load(int register) => _il.Emit(OpCodes.Ldloc, _registers[register]);

    private void Store(int register) => _il.Emit(OpCodes.Stloc, _registers[register]);

    private void Call(MethodInfo method) => _il.Emit(OpCodes.Call, method);

    private static FieldInfo RunContextField(string name) =>
        typeof(BpfRunContext).GetField(name, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
        ?? throw new InvalidOperationException($"BpfRunContext has no field {name}.");
}
