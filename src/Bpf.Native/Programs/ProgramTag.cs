using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Bpf.Native.Programs;

/// <summary>
/// A program's tag as the kernel computes it (kernel/bpf/core.c bpf_prog_calc_tag(), called before map references
/// are resolved): the first 8 bytes of the SHA-1 of the instructions as the loader passed them, with the immediates
/// of map loads (ld_imm64 with src BPF_PSEUDO_MAP_FD or BPF_PSEUDO_MAP_VALUE, both halves) zeroed because file
/// descriptors are not stable. The kernel modelled here (6.1) uses SHA-1; kernels from 6.18 use SHA-256.
/// </summary>
public static class ProgramTag
{
    private const byte LoadImm64Opcode = 0x18; // BPF_LD | BPF_IMM | BPF_DW
    private const int PseudoMapFd = 1;
    private const int PseudoMapValue = 2;

    /// <summary>The tag of <paramref name="bytecode"/> (8-byte instruction slots, map loads as src 1 or 2).</summary>
    public static byte[] Compute(ReadOnlySpan<byte> bytecode)
    {
        if (bytecode.Length % 8 != 0)
        {
            throw new ArgumentException("bytecode is not a whole number of 8-byte instructions", nameof(bytecode));
        }
        byte[] copy = bytecode.ToArray();
        bool wasMapLoad = false;
        for (int at = 0; at < copy.Length; at += 8)
        {
            Span<byte> slot = copy.AsSpan(at, 8);
            int src = slot[1] >> 4;
            if (!wasMapLoad && slot[0] == LoadImm64Opcode && src is PseudoMapFd or PseudoMapValue)
            {
                wasMapLoad = true;
                BinaryPrimitives.WriteInt32LittleEndian(slot[4..], 0);
            }
            else if (wasMapLoad && slot[0] == 0 && slot[1] == 0 && slot[2] == 0 && slot[3] == 0)
            {
                wasMapLoad = false;
                BinaryPrimitives.WriteInt32LittleEndian(slot[4..], 0);
            }
            else
            {
                wasMapLoad = false;
            }
        }
        return SHA1.HashData(copy)[..8];
    }

    /// <summary>The tag as tc and bpftool print it: 16 lowercase hex digits.</summary>
    public static string Format(ReadOnlySpan<byte> tag) => Convert.ToHexStringLower(tag);
}
