using Bpf.Native.Isa;
using static Bpf.Native.Programs.Classic.ClassicOpcode;

namespace Bpf.Native.Programs.Classic;

/// <summary>
/// Classic BPF to eBPF, as net/core/filter.c bpf_convert_filter() does it for cls_bpf and act_bpf "bytecode":
/// A is r0, X is r7, the context is kept in r6, scratch cell M[k] is the 32-bit word at r10 - (4k + 4), a
/// temporary is r2. Packet loads become the eBPF LD_ABS / LD_IND instructions, which have classic's semantics
/// (big-endian, the SKF_NET_OFF/SKF_LL_OFF areas, and "return 0" when out of bounds); the kernel instead emits a
/// direct load with a helper call on its slow path, with the same results. Ancillary loads read the
/// <c>__sk_buff</c> fields (protocol and VLAN TPID converted back to host order, as the kernel does), CPU and
/// RANDOM call the helpers get_smp_processor_id and get_prandom_u32. Division or modulo by a zero X returns 0 from
/// the program. Jumps keep classic's targets; a conditional with both branches taken becomes Jxx + JA.
/// </summary>
public static class ClassicConverter
{
    private const byte A = 0;
    private const byte Arg1 = 1;
    private const byte Tmp = 2;
    private const byte Ctx = 6;
    private const byte XReg = 7;
    private const byte Fp = 10;

    // struct __sk_buff fields that ancillary loads read.
    private const int SkbLen = SkBuffLayout.Len, SkbPacketType = SkBuffLayout.PktType, SkbMark = SkBuffLayout.Mark,
        SkbQueueMapping = SkBuffLayout.QueueMapping, SkbProtocol = SkBuffLayout.Protocol,
        SkbVlanPresent = SkBuffLayout.VlanPresent, SkbVlanTci = SkBuffLayout.VlanTci,
        SkbVlanProto = SkBuffLayout.VlanProto, SkbIfIndex = SkBuffLayout.Ifindex, SkbHash = SkBuffLayout.Hash;

    // Helper ids (include/uapi/linux/bpf.h enum bpf_func_id).
    private const int HelperGetPrandomU32 = 7;
    private const int HelperGetSmpProcessorId = 8;

    /// <summary>ARPHRD_ETHER: the device type SKF_AD_HATYPE reads (every forwarder port is Ethernet).</summary>
    public const int EthernetHardwareType = 1;

    /// <summary>Checks (<see cref="ClassicChecker"/>) and converts <paramref name="program"/>.</summary>
    /// <exception cref="ClassicProgramException">The kernel would refuse the program (EINVAL).</exception>
    public static ClassicConversion Convert(IReadOnlyList<ClassicInstruction> program)
    {
        ClassicChecker.Check(program);
        var output = new List<Instruction>(program.Count * 2 + 3);
        var jumpTargets = new List<(int At, int ClassicTarget)>();
        var contextLoads = new List<int>();
        var start = new int[program.Count];

        // Classic expects A and X cleared; the context stays in a callee-saved register.
        output.Add(Instruction.AluRegister(Operation.Xor32, A, A));
        output.Add(Instruction.AluRegister(Operation.Xor32, XReg, XReg));
        output.Add(Instruction.AluRegister(Operation.Mov64, Ctx, Arg1));

        void Emit(Instruction instruction) => output.Add(instruction);
        void EmitJump(Instruction instruction, int classicTarget)
        {
            jumpTargets.Add((output.Count, classicTarget));
            output.Add(instruction);
        }
        void LoadField(byte dst, int offset)
        {
            contextLoads.Add(output.Count);
            output.Add(Instruction.Load(Operation.LoadU32, dst, Ctx, (short)offset));
        }

        for (int i = 0; i < program.Count; i++)
        {
            start[i] = output.Count;
            ClassicInstruction f = program[i];
            ushort code = f.Code;
            switch (Class(code))
            {
                case Alu:
                    EmitAlu(f, Emit);
                    break;

                case Ld when Mode(code) == Abs && (int)f.K >= AncillaryBase && (int)f.K < 0:
                    EmitAncillary((int)f.K - AncillaryBase, Emit, LoadField);
                    break;

                case Ld when Mode(code) is Abs or Ind:
                    Emit(PacketLoad(Size(code), Mode(code) == Ind, (int)f.K));
                    break;

                case Ldx when code == (Ldx | B | Msh):
                    // X = (P[k] & 0xf) << 2, keeping A (classic's "ldxb 4*([k]&0xf)").
                    Emit(Instruction.AluRegister(Operation.Mov64, XReg, A));
                    Emit(PacketLoad(B, indirect: false, (int)f.K));
                    Emit(Instruction.Alu(Operation.And32, A, 0xf));
                    Emit(Instruction.Alu(Operation.Lsh32, A, 2));
                    Emit(Instruction.AluRegister(Operation.Mov64, Tmp, XReg));
                    Emit(Instruction.AluRegister(Operation.Mov64, XReg, A));
                    Emit(Instruction.AluRegister(Operation.Mov64, A, Tmp));
                    break;

                case Ld or Ldx when Mode(code) == Len:
                    LoadField(Class(code) == Ld ? A : XReg, SkbLen);
                    break;

                case Ld or Ldx when Mode(code) == Imm:
                    Emit(Instruction.Alu(Operation.Mov32, Class(code) == Ld ? A : XReg, (int)f.K));
                    break;

                case Ld or Ldx when Mode(code) == Mem:
                    Emit(Instruction.Load(Operation.LoadU32, Class(code) == Ld ? A : XReg, Fp, (short)-(f.K * 4 + 4)));
                    break;

                case St or Stx:
                    Emit(Instruction.Store(Operation.Store32, Fp, (short)-(f.K * 4 + 4), Class(code) == St ? A : XReg));
                    break;

                case Misc:
                    Emit(MiscOp(code) == Txa
                        ? Instruction.AluRegister(Operation.Mov64, A, XReg)
                        : Instruction.AluRegister(Operation.Mov64, XReg, A));
                    break;

                case Ret:
                    if (ReturnSource(code) == K)
                    {
                        Emit(Instruction.Alu(Operation.Mov32, A, (int)f.K));
                    }
                    Emit(Instruction.ExitProgram());
                    break;

                case Jmp when Op(code) == Ja:
                    EmitJump(Instruction.Goto(0), i + 1 + (int)f.K);
                    break;

                case Jmp:
                    EmitConditional(f, i, Emit, EmitJump);
                    break;

                default:
                    throw new ClassicProgramException(i, $"opcode {code:#x} cannot be converted");
            }
        }

        foreach (var (at, classicTarget) in jumpTargets)
        {
            int displacement = start[classicTarget] - (at + 1);
            if (displacement is < short.MinValue or > short.MaxValue)
            {
                throw new ClassicProgramException(-1, "the converted program is too long for its jumps");
            }
            output[at] = output[at] with { Offset = displacement };
        }
        var accesses = contextLoads.Select(at => new ContextAccess(at, output[at].Offset, 4, IsWrite: false)).ToArray();
        return new ClassicConversion(output, accesses);
    }

    private static void EmitAlu(ClassicInstruction f, Action<Instruction> emit)
    {
        ushort op = Op(f.Code);
        bool fromX = Source(f.Code) == X;
        if (op == Neg)
        {
            emit(Instruction.Alu(Operation.Neg32, A, 0));
            return;
        }
        if (fromX && op is Div or Mod)
        {
            // Classic returns 0 from the program on division by zero.
            emit(Instruction.AluRegister(Operation.Mov32, XReg, XReg));
            emit(Instruction.JumpIf(Operation.Jne64, XReg, 0, 2));
            emit(Instruction.AluRegister(Operation.Xor32, A, A));
            emit(Instruction.ExitProgram());
        }
        Operation operation = op switch
        {
            Add => Operation.Add32,
            Sub => Operation.Sub32,
            Mul => Operation.Mul32,
            Div => Operation.Div32,
            Mod => Operation.Mod32,
            Or => Operation.Or32,
            And => Operation.And32,
            Xor => Operation.Xor32,
            Lsh => Operation.Lsh32,
            _ => Operation.Rsh32,
        };
        emit(fromX ? Instruction.AluRegister(operation, A, XReg) : Instruction.Alu(operation, A, (int)f.K));
    }

    private static void EmitAncillary(int which, Action<Instruction> emit, Action<byte, int> loadField)
    {
        switch (which)
        {
            case AdProtocol:
                loadField(A, SkbProtocol);
                emit(new Instruction(Operation.ToBe16, A));
                break;
            case AdVlanTpid:
                loadField(A, SkbVlanProto);
                emit(new Instruction(Operation.ToBe16, A));
                break;
            case AdPacketType:
                loadField(A, SkbPacketType);
                break;
            case AdIfIndex:
                loadField(A, SkbIfIndex);
                break;
            case AdHardwareType:
                emit(Instruction.Alu(Operation.Mov32, A, EthernetHardwareType));
                break;
            case AdMark:
                loadField(A, SkbMark);
                break;
            case AdRxHash:
                loadField(A, SkbHash);
                break;
            case AdQueue:
                loadField(A, SkbQueueMapping);
                break;
            case AdVlanTag:
                loadField(A, SkbVlanTci);
                break;
            case AdVlanTagPresent:
                loadField(A, SkbVlanPresent);
                break;
            case AdCpu:
                emit(Instruction.CallHelper(HelperGetSmpProcessorId));
                break;
            case AdRandom:
                emit(Instruction.CallHelper(HelperGetPrandomU32));
                break;
            case AdAluXorX:
                emit(Instruction.AluRegister(Operation.Xor32, A, XReg));
                break;
            default:
                // SKF_AD_NLATTR, NLATTR_NEST (netlink attributes inside the packet) and PAY_OFFSET (flow dissector).
                throw new ClassicProgramException(-1, $"ancillary load SKF_AD_OFF + {which} is not supported");
        }
    }

    private static Instruction PacketLoad(ushort size, bool indirect, int offset)
    {
        Operation operation = size switch
        {
            B => Operation.PacketLoad8,
            H => Operation.PacketLoad16,
            _ => Operation.PacketLoad32,
        };
        return indirect ? Instruction.PacketLoadIndirect(operation, XReg, offset) : Instruction.PacketLoad(operation, offset);
    }

    private static void EmitConditional(ClassicInstruction f, int i, Action<Instruction> emit, Action<Instruction, int> emitJump)
    {
        ushort op = Op(f.Code);
        bool fromX = Source(f.Code) == X;
        bool viaTmp = !fromX && (int)f.K < 0;
        if (viaTmp)
        {
            // Immediates are sign-extended in eBPF: compare against the zero-extended constant in a register.
            emit(Instruction.Alu(Operation.Mov32, Tmp, (int)f.K));
        }
        Instruction Make(Operation operation) => fromX || viaTmp
            ? Instruction.JumpIfRegister(operation, A, fromX ? XReg : Tmp, 0)
            : Instruction.JumpIf(operation, A, (int)f.K, 0);
        Operation taken = op switch
        {
            Jeq => Operation.Jeq64,
            Jgt => Operation.Jgt64,
            Jge => Operation.Jge64,
            _ => Operation.Jset64,
        };
        if (f.JumpFalse == 0)
        {
            emitJump(Make(taken), i + 1 + f.JumpTrue);
            return;
        }
        if (f.JumpTrue == 0 && op != Jset)
        {
            Operation inverted = op switch
            {
                Jeq => Operation.Jne64,
                Jgt => Operation.Jle64,
                _ => Operation.Jlt64,
            };
            emitJump(Make(inverted), i + 1 + f.JumpFalse);
            return;
        }
        emitJump(Make(taken), i + 1 + f.JumpTrue);
        emitJump(Instruction.Goto(0), i + 1 + f.JumpFalse);
    }
}
