namespace Bpf.Native.Programs;

/// <summary>
/// A host's description of a program context: for each uapi field, where the host keeps it
/// (<see cref="ContextField"/>). The context pointer a program receives is the host's own structure (for tc, the
/// packet's metadata), and <see cref="ContextRewriter"/> rewrites every context access into accesses of that
/// structure, as the kernel's convert_ctx_access() rewrites __sk_buff accesses into sk_buff ones. Bpf.Native knows
/// nothing of the host's structure beyond this description.
/// </summary>
public sealed class ContextLayout
{
    private readonly ContextField[] _fields;

    public ContextLayout(string name, int size, IEnumerable<ContextField> fields)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        Name = name;
        Size = size;
        _fields = [.. fields.OrderBy(f => f.Offset)];
        for (int i = 0; i < _fields.Length; i++)
        {
            ContextField f = _fields[i];
            if (f.Offset < 0 || f.End > size || f.Size <= 0)
            {
                throw new ArgumentException($"field {f.Name} ({f.Offset}..{f.End}) lies outside the {size}-byte {name}");
            }
            if (i > 0 && _fields[i - 1].End > f.Offset)
            {
                throw new ArgumentException($"fields {_fields[i - 1].Name} and {f.Name} overlap in {name}");
            }
            if (f.Storage is ContextFieldStorage.Direct or ContextFieldStorage.Bytes && f.HostBytes <= 0)
            {
                throw new ArgumentException($"field {f.Name} needs its host size");
            }
            if (f.Storage == ContextFieldStorage.Direct && f.HostBytes is not (1 or 2 or 4 or 8))
            {
                throw new ArgumentException($"field {f.Name}: a direct field is 1, 2, 4 or 8 bytes, not {f.HostBytes}");
            }
        }
    }

    /// <summary>The context's C name ("__sk_buff").</summary>
    public string Name { get; }

    /// <summary>sizeof the uapi structure.</summary>
    public int Size { get; }

    public IReadOnlyList<ContextField> Fields => _fields;

    /// <summary>The field containing context byte <paramref name="offset"/>, or null (padding, or a field the host lacks).</summary>
    public ContextField? FindField(int offset)
    {
        foreach (ContextField f in _fields)
        {
            if (offset >= f.Offset && offset < f.End)
            {
                return f;
            }
        }
        return null;
    }

    /// <summary>The field named <paramref name="name"/>.</summary>
    public ContextField Field(string name) =>
        Array.Find(_fields, f => f.Name == name) ?? throw new KeyNotFoundException($"{Name} has no field {name}");
}
