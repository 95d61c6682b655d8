namespace Bpf.Native.Elf;

/// <summary>
/// How a map asks to be pinned. tc's legacy values (iproute2 include/bpf_elf.h PIN_*) and libbpf's
/// LIBBPF_PIN_BY_NAME (= 1 in a BTF map's <c>pinning</c> field) are mapped onto one enum.
/// </summary>
public enum MapPinning
{
    /// <summary>Not pinned (PIN_NONE, LIBBPF_PIN_NONE).</summary>
    None,

    /// <summary>tc PIN_OBJECT_NS: pinned under a directory private to the object file.</summary>
    ObjectNamespace,

    /// <summary>tc PIN_GLOBAL_NS: pinned as globals/NAME, shared by every object that names it.</summary>
    GlobalNamespace,

    /// <summary>libbpf LIBBPF_PIN_BY_NAME: pinned as PIN_DIR/NAME.</summary>
    ByName,
}
