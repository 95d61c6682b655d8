namespace Sched.Fast.Ematches.Nbyte;

/// <summary>struct tcf_em_nbyte + pattern: bytes to find at an offset from a layer's header.</summary>
public sealed record NbyteEmatch(string Needle, ushort Offset, byte Layer) : EmatchData
{
    public byte[] NeedleBytes => Needle.Select(c => (byte)c).ToArray();
}
