namespace Bpf.Native.Maps;

/// <summary>Receives one submitted ring buffer record (valid only during the call).</summary>
public delegate void RingBufRecordHandler(ReadOnlySpan<byte> record);
