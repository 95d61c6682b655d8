namespace Bpf.Native.Programs;

/// <summary>How a host keeps one field of a program's context (for tc, a field of <c>struct __sk_buff</c>).</summary>
public enum ContextFieldStorage
{
    /// <summary>
    /// The value at <see cref="ContextField.HostOffset"/>, <see cref="ContextField.HostBytes"/> wide, loaded
    /// zero-extended and stored truncated (the kernel's conversions of mark, priority, tc_index, ...).
    /// </summary>
    Direct,

    /// <summary>
    /// A host-order u16 the context shows as the kernel's <c>__be16</c> loaded as a u16 (protocol, vlan_proto):
    /// a 16-bit load followed by a byte swap on a little-endian host.
    /// </summary>
    BigEndian16,

    /// <summary>A 32-bit context field (data, data_end, data_meta) read as the host's 8-byte pointer.</summary>
    Pointer,

    /// <summary>No storage: every read gives <see cref="ContextField.ConstantValue"/>.</summary>
    Constant,

    /// <summary>A byte area (cb[]): any access of 1-8 bytes lands at the same relative offset in the host's area.</summary>
    Bytes,
}
