using System.Runtime.InteropServices;

namespace Forwarder.Tests.EndToEnd;

/// <summary>A test that needs root (network namespaces, raw sockets): reported as skipped, with the reason, otherwise.</summary>
public sealed partial class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!Root.IsRoot) Skip = "needs root: network namespaces and raw sockets (CI runs as root)";
    }
}

/// <summary>The theory form of <see cref="RootFactAttribute"/>.</summary>
public sealed class RootTheoryAttribute : TheoryAttribute
{
    public RootTheoryAttribute()
    {
        if (!Root.IsRoot) Skip = "needs root: network namespaces and raw sockets (CI runs as root)";
    }
}

internal static partial class Root
{
    public static bool IsRoot => geteuid() == 0;

    [LibraryImport("libc")]
    private static partial uint geteuid();
}
