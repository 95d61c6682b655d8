using Bpf.Native.Helpers;
using Bpf.Native.Isa;
using Bpf.Native.Maps;
using Bpf.Native.Programs;

namespace Bpf.Native.Verifier;

/// <summary>
/// The kernel-style verifier (kernel/bpf/verifier.c, do_check and what it calls), with the rules Linux applies to a
/// privileged loader (CAP_BPF + CAP_PERFMON: bounded loops, pointer comparisons and leaks allowed, uninitialized
/// stack readable, no speculative-execution sanitizing). It walks every path of the program with an abstract state
/// of registers and stack, checks each instruction against it, forks at undecided branches, and prunes a path when
/// it reaches a prune point in a state no more permissive than one already proven safe there.
/// </summary>
internal sealed partial class KernelVerifier
{
    /// <summary>BPF_COMPLEXITY_LIMIT_INSNS.</summary>
    public const int ComplexityLimitInstructions = 1_000_000;

    /// <summary>BPF_COMPLEXITY_LIMIT_JMP_SEQ: pending branches at once.</summary>
    private const int ComplexityLimitJumpSequence = 8192;

    /// <summary>MAX_PACKET_OFF.</summary>
    private const int MaxPacketOffset = 0xffff;

    /// <summary>BPF_MAX_VAR_OFF and BPF_MAX_VAR_SIZ.</summary>
    private const long MaxVariableOffset = 1 << 29;

    private const int MaxStackBytes = 512;

    private readonly Instruction[] _code;
    private readonly ControlFlow _flow;
    private readonly ProgramType _programType;
    private readonly HelperTable _helpers;
    private readonly IReadOnlyList<BpfMap> _maps;
    private readonly VerifierLog _log;
    private readonly InstructionAux[] _aux;
    private readonly List<ExploredState>?[] _explored;
    private readonly Stack<PendingBranch> _pending = new();
    private readonly int[] _stackDepth;
    private readonly bool[] _functionChangesPacketData;
    private readonly bool _gplCompatible;

    private VerifierState _cur = new();
    private int _insnIdx;
    private int _prevInsnIdx;
    private int _idGen;
    private int _insnProcessed;
    private int _prevInsnProcessed;
    private int _jmpsProcessed;
    private int _prevJmpsProcessed;
    private int _totalStates;
    private int _exploredCount;
    private int _freeListCount;
    private int _peakStates;
    private int _maxStatesPerInsn;
    private bool _doPrintState;

    private sealed class ExploredState(VerifierState state)
    {
        public VerifierState State { get; } = state;
        public int Hits;
        public int Misses;
    }

    private readonly record struct PendingBranch(VerifierState State, int Instruction, int PreviousInstruction, int LogPosition);

    private KernelVerifier(ControlFlow flow, VerifierOptions options, int logLevel)
    {
        _code = flow.Code;
        _flow = flow;
        _programType = options.ProgramType!;
        _helpers = options.Helpers;
        _maps = options.Maps;
        _log = new VerifierLog(logLevel);
        _aux = new InstructionAux[_code.Length];
        _explored = new List<ExploredState>?[_code.Length];
        _stackDepth = new int[flow.FunctionStarts.Length];
        _functionChangesPacketData = ComputeChangesPacketData();
        _gplCompatible = options.GplCompatible;
    }

    public InstructionAux[] Aux => _aux;

    public IReadOnlyList<int> StackDepths => _stackDepth;

    public string LogText => _log.ToString();

    public VerifierStatistics Statistics => new(_insnProcessed, _maxStatesPerInsn, _totalStates, _peakStates, _stackDepth);

    /// <summary>Verifies; throws <see cref="VerifierException"/> with the log when the program is unsafe.</summary>
    public static KernelVerifier Run(ControlFlow flow, VerifierOptions options, int logLevel)
    {
        var verifier = new KernelVerifier(flow, options, logLevel);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            verifier.LogHeader();
            verifier.DoCheck();
        }
        catch (RejectedException rejected)
        {
            verifier.LogTrailer(started);
            throw new VerifierException(rejected.Instruction, rejected.Reason, verifier._log.Enabled ? verifier._log.ToString() : null);
        }
        if (logLevel == 1)
        {
            // Level 1 keeps only what went wrong: an accepted program's log is the statistics.
            verifier._log.Reset(0);
        }
        verifier.LogTrailer(started);
        return verifier;
    }

    /// <summary>Level 2 starts with the functions and the registers live before each instruction.</summary>
    private void LogHeader()
    {
        if (_log.Level < 2)
        {
            return;
        }
        for (int f = 0; f < _flow.FunctionStarts.Length; f++)
        {
            _log.WriteLine($"func#{f} @{Slot(_flow.FunctionStarts[f])}");
        }
        _log.WriteLine("Live regs before insn:");
        for (int i = 0; i < _code.Length; i++)
        {
            var live = new char[10];
            for (int r = 0; r < 10; r++)
            {
                live[r] = (_flow.LiveBefore[i] & (1 << r)) != 0 ? (char)('0' + r) : '.';
            }
            _log.WriteLine($"{Slot(i),7}: {new string(live)} {KernelDisassembler.Format(_code[i])}");
        }
    }

    private void LogTrailer(long started)
    {
        if (_log.Level >= 2)
        {
            long micros = (long)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMicroseconds;
            _log.WriteLine($"verification time {micros} usec");
            _log.WriteLine("stack depth " + string.Join('+', _stackDepth));
        }
        _log.WriteLine(Statistics.SummaryLine);
    }

    /// <summary>Thrown inside the verifier; becomes a <see cref="VerifierException"/> at the top.</summary>
    private sealed class RejectedException(int instruction, string reason) : Exception(reason)
    {
        public int Instruction { get; } = instruction;

        public string Reason { get; } = reason;
    }

    /// <summary>Logs the reason (one or more lines) and stops verification.</summary>
    private RejectedException Reject(string reason, bool newline = true)
    {
        if (newline)
        {
            _log.WriteLine(reason);
        }
        else
        {
            _log.Write(reason);
        }
        return new RejectedException(_insnIdx, reason);
    }

    private int Slot(int index) => _flow.SlotOf[index];

    private void DoCheck()
    {
        _cur = InitialState();
        _cur.Branches = 1;
        _cur.FirstInstruction = 0;
        _log.ScratchAll();
        _insnIdx = 0;
        _prevInsnIdx = -1;
        while (true)
        {
            if (++_insnProcessed > ComplexityLimitInstructions)
            {
                throw Reject($"BPF program is too large. Processed {_insnProcessed} insn");
            }
            _cur.LastInstruction = _prevInsnIdx;
            _cur.Instruction = _insnIdx;
            _currentHistoryEntry = null;
            if (_flow.PrunePoint[_insnIdx] && IsStateVisited(_insnIdx))
            {
                if (_log.Enabled)
                {
                    _log.WriteLine(_doPrintState
                        ? $"\nfrom {Slot(_prevInsnIdx)} to {Slot(_insnIdx)}: safe"
                        : $"{Slot(_insnIdx)}: safe");
                }
                if (!EndPath())
                {
                    return;
                }
                continue;
            }
            if (_flow.JumpPoint[_insnIdx])
            {
                PushHistory();
            }
            if (_log.Level >= 2 && _doPrintState)
            {
                _log.Write($"\nfrom {Slot(_prevInsnIdx)} to {Slot(_insnIdx)}:");
                PrintState(_cur.CurrentFrameIndex, printAll: true);
                _doPrintState = false;
            }
            if (_log.Enabled)
            {
                if (_log.IsScratched)
                {
                    PrintInsnState(_cur.CurrentFrameIndex);
                }
                _log.PreviousLogPosition = _log.EndPosition;
                _log.Write($"{Slot(_insnIdx)}: ");
                _log.WriteLine(KernelDisassembler.Format(_code[_insnIdx]));
                _log.PreviousInstructionLength = _log.EndPosition - _log.PreviousLogPosition;
                _log.PreviousLogPosition = _log.EndPosition;
            }
            _aux[_insnIdx] = _aux[_insnIdx] with { Reached = true };
            _prevInsnIdx = _insnIdx;
            if (ExecuteInstruction())
            {
                // The path ended at an exit of the program.
                if (!EndPath())
                {
                    return;
                }
            }
        }
    }

    /// <summary>process_bpf_exit: this path is done; take up the next pending branch. False when none is left.</summary>
    private bool EndPath()
    {
        UpdateBranchCounts(_cur);
        if (_pending.Count == 0)
        {
            return false;
        }
        var next = _pending.Pop();
        if (_log.Level == 1)
        {
            _log.Reset(next.LogPosition);
        }
        _cur = next.State;
        _insnIdx = next.Instruction;
        _prevInsnIdx = next.PreviousInstruction;
        _doPrintState = true;
        _log.ScratchAll();
        return true;
    }

    /// <summary>update_branch_counts: a path ended; checkpoints with no paths left below them are complete.</summary>
    private void UpdateBranchCounts(VerifierState? state)
    {
        while (state is not null)
        {
            int branches = --state.Branches;
            if (branches > 0)
            {
                break;
            }
            if (state.Evicted)
            {
                state.Evicted = false;
                _freeListCount--;
            }
            state = state.Parent;
        }
    }

    /// <summary>push_stack: explore <paramref name="instruction"/> later from a copy of the current state.</summary>
    private VerifierState PushBranch(int instruction, int previousInstruction)
    {
        var copy = _cur.Clone();
        _pending.Push(new PendingBranch(copy, instruction, previousInstruction, _log.EndPosition));
        if (_pending.Count > ComplexityLimitJumpSequence)
        {
            throw Reject($"The sequence of {_pending.Count} jumps is too complex.");
        }
        if (copy.Parent is not null)
        {
            copy.Parent.Branches++;
        }
        return copy;
    }

    private VerifierState InitialState()
    {
        var state = new VerifierState();
        var frame = new FrameState { FrameNo = 0, Subprogram = 0, CallSite = -1 };
        InitFrameRegisters(frame);
        frame.Registers[1] = new RegisterState { Kind = RegisterKind.Context };
        frame.Registers[1].MarkKnown(0);
        state.Frames.Add(frame);
        return state;
    }

    /// <summary>init_reg_state: everything uninitialized but r10, the frame pointer.</summary>
    private static void InitFrameRegisters(FrameState frame)
    {
        for (int i = 0; i < FrameState.RegisterCount; i++)
        {
            frame.Registers[i] = RegisterState.NotInitialized;
        }
        var fp = new RegisterState { Kind = RegisterKind.Stack, FrameNo = frame.FrameNo };
        fp.MarkKnown(0);
        fp.FrameNo = frame.FrameNo;
        frame.Registers[10] = fp;
    }

    /// <summary>print_insn_state: the scratched registers after the previous instruction, aligned, or on their own line.</summary>
    private void PrintInsnState(int frameIndex)
    {
        if (_log.PreviousLogPosition != 0 && _log.PreviousLogPosition == _log.EndPosition)
        {
            _log.Reset(_log.PreviousLogPosition - 1);
            _log.Write(new string(' ', VerifierLog.AlignmentFor(_log.PreviousInstructionLength)) + ";");
        }
        else
        {
            _log.Write($"{Slot(_insnIdx)}:");
        }
        PrintState(frameIndex, printAll: false);
    }

    private void PrintState(int frameIndex, bool printAll, VerifierState? state = null)
    {
        state ??= _cur;
        var text = new System.Text.StringBuilder();
        StatePrinter.AppendFrame(text, state.Frames[frameIndex], printAll, _log.ScratchedRegisters, _log.ScratchedSlots, state.References);
        _log.Write(text.ToString());
        if (!printAll)
        {
            _log.Clean();
        }
    }

    // ---- state pruning (is_state_visited) ------------------------------------------------------------------------

    private bool IsStateVisited(int insn)
    {
        // A long history slows precision backtracking: force a checkpoint (the kernel's limit of 40 entries).
        bool forceNewState = _cur.History.Count > 40;
        bool addNewState = forceNewState || (_jmpsProcessed - _prevJmpsProcessed >= 2 && _insnProcessed - _prevInsnProcessed >= 8);
        var list = _explored[insn];
        int statesCount = 0;
        if (list is not null)
        {
            for (int i = 0; i < list.Count; i++)
            {
                var explored = list[i];
                statesCount++;
                if (explored.State.Branches > 0)
                {
                    // Still being explored: the same state again means a loop that makes no progress.
                    if (StatesMaybeLooping(explored.State, _cur) && StateEquivalence.StatesEqual(explored.State, _cur, _flow, exact: true))
                    {
                        var message = new System.Text.StringBuilder($"infinite loop detected at insn {Slot(insn)}\ncur state:");
                        StatePrinter.AppendFrame(message, _cur.CurrentFrame, true, 0, 0, _cur.References);
                        message.Append("old state:");
                        StatePrinter.AppendFrame(message, explored.State.CurrentFrame, true, 0, 0, explored.State.References);
                        throw Reject(message.ToString().TrimEnd('\n'));
                    }
                    if (!forceNewState && _jmpsProcessed - _prevJmpsProcessed < 20 && _insnProcessed - _prevInsnProcessed < 100)
                    {
                        addNewState = false;
                    }
                }
                else if (StateEquivalence.StatesEqual(explored.State, _cur, _flow, exact: false))
                {
                    explored.Hits++;
                    // The old state's continuation relied on some values being exact; so does this path.
                    if (_flow.JumpPoint[insn])
                    {
                        PushHistory();
                    }
                    PropagatePrecision(explored.State, _cur);
                    return true;
                }
                if (addNewState)
                {
                    explored.Misses++;
                }
                // A state that keeps missing is unlikely to help: forget it. One still being explored below stays
                // alive (on the kernel's free list, counted in peak_states) until its paths end.
                if (explored.Misses > explored.Hits * 3 + 3)
                {
                    list.RemoveAt(i);
                    i--;
                    _exploredCount--;
                    if (explored.State.Branches > 0)
                    {
                        explored.State.Evicted = true;
                        _freeListCount++;
                    }
                }
            }
        }
        _maxStatesPerInsn = Math.Max(_maxStatesPerInsn, statesCount);
        if (!addNewState)
        {
            return false;
        }
        _totalStates++;
        _exploredCount++;
        _peakStates = Math.Max(_peakStates, _exploredCount + _freeListCount);
        _prevJmpsProcessed = _jmpsProcessed;
        _prevInsnProcessed = _insnProcessed;
        MarkAllScalarsImprecise(_cur);
        var checkpoint = _cur.Clone();
        checkpoint.Instruction = insn;
        checkpoint.Branches = 1;
        checkpoint.Parent = _cur.Parent;
        _cur.Parent = checkpoint;
        _cur.FirstInstruction = insn;
        _cur.History = [];
        (_explored[insn] ??= []).Insert(0, new ExploredState(checkpoint));
        return false;
    }

    /// <summary>states_maybe_looping: the current frame's registers are bit for bit the same.</summary>
    private static bool StatesMaybeLooping(VerifierState old, VerifierState cur)
    {
        if (old.Frames.Count != cur.Frames.Count)
        {
            return false;
        }
        var a = old.CurrentFrame.Registers;
        var b = cur.CurrentFrame.Registers;
        for (int i = 0; i < FrameState.RegisterCount; i++)
        {
            if (!StateEquivalence.Identical(a[i], b[i]))
            {
                return false;
            }
        }
        return true;
    }

    // ---- one instruction ------------------------------------------------------------------------------------------

    /// <summary>Checks one instruction and moves to the next; true when the program's path ended.</summary>
    private bool ExecuteInstruction()
    {
        var insn = _code[_insnIdx];
        switch (insn.Shape)
        {
            case OperationShape.Alu:
                CheckAlu(insn);
                _insnIdx++;
                return false;
            case OperationShape.Load:
                CheckLoad(insn);
                _insnIdx++;
                return false;
            case OperationShape.Store:
                CheckStore(insn);
                _insnIdx++;
                return false;
            case OperationShape.Atomic or OperationShape.AtomicFetch or OperationShape.AtomicCompareExchange:
                CheckAtomic(insn);
                _insnIdx++;
                return false;
            case OperationShape.LoadImm64:
                CheckLoadImm64(insn);
                _insnIdx++;
                return false;
            case OperationShape.PacketLoad:
                CheckLegacyPacketLoad(insn);
                _insnIdx++;
                return false;
            case OperationShape.Jump:
                _jmpsProcessed++;
                _insnIdx = _flow.Targets[_insnIdx];
                return false;
            case OperationShape.ConditionalJump:
                _jmpsProcessed++;
                CheckConditionalJump(insn);
                return false;
            case OperationShape.Call:
                _jmpsProcessed++;
                CheckHelperCall(insn);
                _insnIdx++;
                return false;
            case OperationShape.CallLocal:
                _jmpsProcessed++;
                CheckLocalCall();
                return false;
            case OperationShape.CallKfunc:
                throw Reject("calling kernel function is not supported");
            case OperationShape.CallRegister:
                throw Reject("BPF_CALL uses reserved fields");
            case OperationShape.Exit:
                _jmpsProcessed++;
                return CheckExit();
            default:
                throw Reject($"unknown insn class {insn.Operation}");
        }
    }

    // ---- register reads and writes (check_reg_arg) ----------------------------------------------------------------

    private ref RegisterState Reg(int register) => ref _cur.Registers[register];

    /// <summary>check_reg_arg SRC_OP: the register must have been written.</summary>
    private void CheckRead(int register)
    {
        _log.ScratchRegister(register);
        if (_cur.Registers[register].Kind == RegisterKind.NotInit)
        {
            throw Reject($"R{register} !read_ok");
        }
    }

    /// <summary>check_reg_arg DST_OP_NO_MARK: the register may be written.</summary>
    private void CheckWrite(int register)
    {
        _log.ScratchRegister(register);
        if (register == 10)
        {
            throw Reject("frame pointer is read only");
        }
    }

    /// <summary>check_reg_arg DST_OP: written with an unknown value.</summary>
    private void WriteUnknown(int register)
    {
        CheckWrite(register);
        Reg(register).MarkUnknown();
    }

    private int NewId() => ++_idGen;
}
