namespace Bpf.Native.Programs;

/// <summary>One field of the uapi <c>struct __sk_buff</c>: its name, byte offset and size (arrays are one field).</summary>
public sealed record SkBuffField(string Name, int OffsetBytes, int SizeBytes)
{
    public int EndBytes => OffsetBytes + SizeBytes;

    public bool Contains(int offsetBytes) => offsetBytes >= OffsetBytes && offsetBytes < EndBytes;
}
