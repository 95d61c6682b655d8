using System.Diagnostics.CodeAnalysis;
using Bpf.Native.Execution;

namespace Bpf.Native.Helpers;

/// <summary>
/// The helpers a verified program may call, frozen: definitions by id and a pinned array of function pointers that
/// callx indexes at run time (the JIT embeds its address). Lives as long as the programs that use it.
/// </summary>
internal sealed unsafe class HelperDispatchTable
{
    private readonly Dictionary<int, HelperDefinition> _byId;
    private readonly nint[] _functionPointers;

    public HelperDispatchTable(IEnumerable<HelperDefinition> helpers)
    {
        _byId = helpers.ToDictionary(h => h.Id);
        int length = _byId.Count == 0 ? 0 : _byId.Keys.Max() + 1;
        _functionPointers = GC.AllocateArray<nint>(length, pinned: true);
        foreach (var helper in _byId.Values)
        {
            _functionPointers[helper.Id] = helper.FunctionPointer;
        }
    }

    public IReadOnlyCollection<HelperDefinition> All => _byId.Values;

    /// <summary>Number of entries in <see cref="FunctionPointers"/> (largest id + 1).</summary>
    public int Count => _functionPointers.Length;

    /// <summary>Pinned: valid for the lifetime of this table.</summary>
    public nint* FunctionPointers => (nint*)System.Runtime.CompilerServices.Unsafe.AsPointer(
        ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(_functionPointers));

    public bool TryGet(int id, [NotNullWhen(true)] out HelperDefinition? helper) => _byId.TryGetValue(id, out helper);

    /// <summary>
    /// callx: calls helper <paramref name="id"/> or, when there is none, asks the engine to abort the run
    /// (a deliberate choice: Linux has no callx to helpers; see docs/notes/bpf-engine.md).
    /// </summary>
    public static ulong CallById(nint* table, int count, BpfRunContext* run, ulong id, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        nint function = id < (ulong)count ? table[id] : 0;
        if (function == 0)
        {
            run->RequestAbort();
            return 0;
        }
        return ((delegate*<BpfRunContext*, ulong, ulong, ulong, ulong, ulong, ulong>)function)(run, r1, r2, r3, r4, r5);
    }
}
