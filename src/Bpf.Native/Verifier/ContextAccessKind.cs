namespace Bpf.Native.Verifier;

/// <summary>Whether an access to the context reads or writes it (Linux enum bpf_access_type).</summary>
public enum ContextAccessKind : byte
{
    Read,
    Write,
}
