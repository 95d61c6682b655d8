namespace Bpf.Native.Maps;

/// <summary>Flags of map updates (linux/bpf.h): BPF_ANY, BPF_NOEXIST, BPF_EXIST, BPF_F_LOCK.</summary>
public static class BpfUpdateFlags
{
    /// <summary>Create a new element or update an existing one.</summary>
    public const ulong Any = 0;

    /// <summary>Create only: -EEXIST if the key is there.</summary>
    public const ulong NoExist = 1;

    /// <summary>Update only: -ENOENT if the key is missing (for queue/stack push: overwrite the oldest when full).</summary>
    public const ulong Exist = 2;

    /// <summary>BPF_F_LOCK: update under the value's bpf_spin_lock; not supported here (no spin locks in values).</summary>
    public const ulong Lock = 4;
}
