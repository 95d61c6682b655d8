using System.Reflection;
using System.Reflection.Emit;
using Bpf.Native.Execution;
using Bpf.Native.Helpers;
using Bpf.Native.Isa;
using Bpf.Native.Semantics;
using Bpf.Native.Verifier;

namespace Bpf.Native.Jit;

/// <summary>
/// Emits the IL of one function, or of one chunk of a large function. The entry function takes the run context; a
/// called function also takes r1-r5 and its r10; both keep the eBPF registers in IL locals. A chunk (see
/// <see cref="ChunkDispatcherEmitter"/>) takes the run context, the function's register file, the instruction to
/// start at and where to write the next instruction: it loads the registers into locals, runs, and stores them back
/// when control leaves its range. Every instruction gets a label; every operation calls its semantics-table method,
/// or emits the proven-equal inline IL of <see cref="IlLowering"/>; exit returns r0, and a failed packet load or a
/// pending tail call or abort returns 0 at once.
/// </summary>
internal sealed unsafe class FunctionEmitter
{
    private static readonly Type[] s_entryParameters = [typeof(BpfRunContext*)];

    private static readonly Type[] s_calleeParameters =
    [
        typeof(BpfRunContext*), typeof(ulong), typeof(ulong), typeof(ulong), typeof(ulong), typeof(ulong), typeof(ulong),
    ];

    private static readonly Type[] s_chunkParameters = [typeof(BpfRunContext*), typeof(ulong*), typeof(int), typeof(int*)];

    private static readonly FieldInfo s_contextField = RunContextField(nameof(BpfRunContext.Context));
    private static readonly FieldInfo s_contextLengthField = RunContextField(nameof(BpfRunContext.ContextLength));
    private static readonly FieldInfo s_stackTopField = RunContextField(nameof(BpfRunContext.StackTop));
    private static readonly FieldInfo s_exitRequestField = RunContextField(nameof(BpfRunContext.ExitRequest));
    private static readonly MethodInfo s_effectiveAddress = typeof(MemorySemantics).GetMethod(nameof(MemorySemantics.EffectiveAddress))!;
    private static readonly MethodInfo s_calleeFramePointer = typeof(CallConvention).GetMethod(nameof(CallConvention.CalleeFramePointer))!;
    private static readonly MethodInfo s_callById = typeof(HelperDispatchTable).GetMethod(nameof(HelperDispatchTable.CallById))!;

    private readonly VerifiedProgram _program;
    private readonly Subprogram _function;
    private readonly DynamicMethod[] _functions;
    private readonly int _from;
    private readonly int _to;
    private readonly bool _isChunk;
    private readonly ILGenerator _il;
    private readonly LocalBuilder[] _registers = new LocalBuilder[11];
    private readonly Label[] _labels;
    private readonly Label _returnZero;
    private readonly Dictionary<int, Label> _leaveTo = new();
    private readonly IReadOnlySet<int> _entries;
    private LocalBuilder? _packetValue;

    /// <summary>
    /// Emits instructions [<paramref name="from"/>, <paramref name="to"/>) of <paramref name="function"/> into
    /// <paramref name="method"/>; a chunk can be entered at <paramref name="from"/> and at <paramref name="entries"/>.
    /// </summary>
    public FunctionEmitter(VerifiedProgram program, Subprogram function, DynamicMethod[] functions, DynamicMethod method,
        int from, int to, bool isChunk, IReadOnlySet<int>? entries = null)
    {
        _entries = entries ?? new HashSet<int>();
        _program = program;
        _function = function;
        _functions = functions;
        _from = from;
        _to = to;
        _isChunk = isChunk;
        _il = method.GetILGenerator(64 + (to - from) * 16);
        for (int r = 0; r < _registers.Length; r++)
        {
            _registers[r] = _il.DeclareLocal(typeof(ulong));
        }
        _labels = new Label[to - from];
        for (int i = 0; i < _labels.Length; i++)
        {
            _labels[i] = _il.DefineLabel();
        }
        _returnZero = _il.DefineLabel();
    }

    /// <summary>The method a function is called through (the whole function, or the dispatcher of its chunks).</summary>
    public static DynamicMethod DeclareFunction(Subprogram function) => Declare(
        $"bpf_function_{function.Index}", function.Index == 0 ? s_entryParameters : s_calleeParameters);

    /// <summary>A chunk: ulong (BpfRunContext* run, ulong* registers, int entry, int* next).</summary>
    public static DynamicMethod DeclareChunk(Subprogram function, int chunk) =>
        Declare($"bpf_function_{function.Index}_chunk_{chunk}", s_chunkParameters);

    private static DynamicMethod Declare(string name, Type[] parameters) => new(
        name, typeof(ulong), parameters, typeof(FunctionEmitter).Module, skipVisibility: true)
    {
        // The kernel does not clear the stack or unused registers either; registers are cleared explicitly.
        InitLocals = false,
    };

    public void Emit()
    {
        if (_isChunk)
        {
            EmitChunkPrologue();
        }
        else
        {
            EmitPrologue();
        }
        var code = _program.InstructionSpan;
        for (int index = _from; index < _to; index++)
        {
            _il.MarkLabel(_labels[index - _from]);
            EmitInstruction(index, code[index]);
        }
        if (_isChunk && code[_to - 1].Shape is not (OperationShape.Exit or OperationShape.Jump))
        {
            _il.Emit(OpCodes.Br, LeaveTo(_to)); // falls through into the next chunk
        }
        _il.MarkLabel(_returnZero);
        if (_isChunk)
        {
            SetNext(-1);
        }
        _il.Emit(OpCodes.Ldc_I8, 0L);
        _il.Emit(OpCodes.Ret);
        foreach (var (target, label) in _leaveTo)
        {
            _il.MarkLabel(label);
            StoreRegisterFile();
            SetNext(target);
            _il.Emit(OpCodes.Ldc_I8, 0L);
            _il.Emit(OpCodes.Ret);
        }
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

    /// <summary>Loads the register file into locals and jumps to the entry instruction.</summary>
    private void EmitChunkPrologue()
    {
        for (int r = 0; r < _registers.Length; r++)
        {
            _il.Emit(OpCodes.Ldarg_1);
            _il.Emit(OpCodes.Ldc_I4, r * sizeof(ulong));
            _il.Emit(OpCodes.Add);
            _il.Emit(OpCodes.Ldind_I8);
            Store(r);
        }
        // Only instructions other chunks jump to are entries: every switch target is a basic block boundary for
        // RyuJIT, so listing them all would cost compile time and optimization.
        var entries = new Label[_to - _from];
        for (int index = _from; index < _to; index++)
        {
            entries[index - _from] = _entries.Contains(index) ? _labels[index - _from] : _labels[0];
        }
        _il.Emit(OpCodes.Ldarg_2);
        _il.Emit(OpCodes.Ldc_I4, _from);
        _il.Emit(OpCodes.Sub);
        _il.Emit(OpCodes.Switch, entries);
        _il.Emit(OpCodes.Br, _labels[0]);
    }

    private void StoreRegisterFile()
    {
        for (int r = 0; r < _registers.Length; r++)
        {
            _il.Emit(OpCodes.Ldarg_1);
            _il.Emit(OpCodes.Ldc_I4, r * sizeof(ulong));
            _il.Emit(OpCodes.Add);
            Load(r);
            _il.Emit(OpCodes.Stind_I8);
        }
    }

    private void SetNext(int next)
    {
        _il.Emit(OpCodes.Ldarg_3);
        _il.Emit(OpCodes.Ldc_I4, next);
        _il.Emit(OpCodes.Stind_I4);
    }

    /// <summary>A label that leaves this chunk for instruction <paramref name="target"/> (emitted once per target).</summary>
    private Label LeaveTo(int target)
    {
        if (!_leaveTo.TryGetValue(target, out var label))
        {
            label = _il.DefineLabel();
            _leaveTo.Add(target, label);
        }
        return label;
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
                Call(_functions[callee.Index]);
                Store(0);
                if (_program.MayEndEarly)
                {
                    ReturnZeroOnExitRequest();
                }
                break;
            }

            case OperationShape.Exit:
                if (_isChunk)
                {
                    SetNext(-1);
                }
                Load(0);
                _il.Emit(OpCodes.Ret);
                break;

            default:
                throw new InvalidOperationException($"The JIT cannot compile {instruction.Operation}; the verifier should have rejected it.");
        }
    }

    private Label TargetLabel(int index)
    {
        int target = _program.TargetOf(index);
        return target >= _from && target < _to ? _labels[target - _from] : LeaveTo(target);
    }

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
