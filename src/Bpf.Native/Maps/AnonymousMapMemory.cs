using System.Runtime.InteropServices;

namespace Bpf.Native.Maps;

/// <summary>Process-private map memory: page-aligned native memory, zeroed.</summary>
internal sealed unsafe class AnonymousMapMemory : MapMemory
{
    public AnonymousMapMemory(long length)
    {
        Base = (byte*)NativeMemory.AlignedAlloc((nuint)length, PageBytes);
        NativeMemory.Clear(Base, (nuint)length);
        Length = length;
    }

    public override string? FilePath => null;

    public override void Dispose()
    {
        if (Base != null)
        {
            NativeMemory.AlignedFree(Base);
            Base = null;
        }
    }
}
