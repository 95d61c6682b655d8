using System.Buffers.Binary;

namespace Forwarder.Ports;

/// <summary>
/// Writes a classic pcap file with nanosecond timestamps (magic 0xa1b23c4d, LINKTYPE_ETHERNET), one record per frame.
/// The record buffer is reused, so writing allocates nothing per frame.
/// </summary>
public sealed class PcapFileWriter : IDisposable
{
    public const uint MagicNanoseconds = 0xA1B23C4D;
    public const uint LinkTypeEthernet = 1;
    private readonly Stream _stream;
    private readonly int _snapLength;
    private readonly byte[] _record;

    public PcapFileWriter(Stream stream, int snapLength = 65535)
    {
        _stream = stream;
        _snapLength = snapLength;
        _record = new byte[16 + snapLength];
        Span<byte> h = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(h, MagicNanoseconds);
        BinaryPrimitives.WriteUInt16LittleEndian(h[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(h[6..], 4);
        BinaryPrimitives.WriteInt32LittleEndian(h[8..], 0);   // thiszone
        BinaryPrimitives.WriteUInt32LittleEndian(h[12..], 0); // sigfigs
        BinaryPrimitives.WriteUInt32LittleEndian(h[16..], (uint)snapLength);
        BinaryPrimitives.WriteUInt32LittleEndian(h[20..], LinkTypeEthernet);
        _stream.Write(h);
    }

    public static PcapFileWriter Create(string path) =>
        new(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16));

    public long Records { get; private set; }

    /// <summary>Appends <paramref name="frame"/> stamped <paramref name="timestampNs"/> (ns since the Unix epoch).</summary>
    public void Write(ReadOnlySpan<byte> frame, long timestampNs)
    {
        int captured = Math.Min(frame.Length, _snapLength);
        Span<byte> r = _record;
        BinaryPrimitives.WriteUInt32LittleEndian(r, (uint)(timestampNs / 1_000_000_000));
        BinaryPrimitives.WriteUInt32LittleEndian(r[4..], (uint)(timestampNs % 1_000_000_000));
        BinaryPrimitives.WriteUInt32LittleEndian(r[8..], (uint)captured);
        BinaryPrimitives.WriteUInt32LittleEndian(r[12..], (uint)frame.Length);
        frame[..captured].CopyTo(r[16..]);
        _stream.Write(_record, 0, 16 + captured);
        Records++;
    }

    public void Flush() => _stream.Flush();

    public void Dispose() => _stream.Dispose();
}
