namespace Bpf.Native.Maps;

public abstract unsafe class BpfMap : IDisposable
{
    public nint Handle => 0;
    public ulong DirectValueAddress(uint offset) => offset;
    public void Dispose() { }
}
