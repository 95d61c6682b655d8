using Bpf.Native.Execution;

namespace Bpf.Native.Helpers.Tc;

/// <summary>
/// bpf_redirect and bpf_clone_redirect (net/core/filter.c). redirect only records the target, as the kernel's
/// per-CPU bpf_redirect_info does (here in the packet's metadata), and returns TC_ACT_REDIRECT; the tc hook that
/// sees that verdict from a direct-action program delivers the packet (skb_do_redirect). clone_redirect sends a
/// copy at once through the host and lets the program go on with the original.
/// </summary>
public static unsafe class RedirectHelpers
{
    public const ulong Ingress = 1;                 // BPF_F_INGRESS
    public const ulong RedirectInternal = 7UL << 16; // BPF_F_NEIGH | BPF_F_PEER | BPF_F_NEXTHOP
    public const int ActShot = 2;                   // TC_ACT_SHOT
    public const int ActRedirect = 7;               // TC_ACT_REDIRECT

    /// <summary>bpf_redirect(ifindex, flags): TC_ACT_REDIRECT with the target recorded, TC_ACT_SHOT for bad flags.</summary>
    public static ulong Redirect(BpfRunContext* run, ulong ifindex, ulong flags, ulong r3, ulong r4, ulong r5)
    {
        if ((flags & (~Ingress | RedirectInternal)) != 0 || !SkbView.TryGet(run, out SkbView skb))
        {
            return ActShot;
        }
        skb.RedirectIfIndex = (int)(uint)ifindex;
        skb.RedirectFlags = (uint)flags;
        return ActRedirect;
    }

    /// <summary>bpf_clone_redirect(skb, ifindex, flags): 0, or -EINVAL for bad flags or an unknown device.</summary>
    public static ulong CloneRedirect(BpfRunContext* run, ulong ctx, ulong ifindex, ulong flags, ulong r4, ulong r5)
    {
        if ((flags & (~Ingress | RedirectInternal)) != 0 || !SkbView.TryGet(run, out SkbView skb))
        {
            return TcErrno.Result(TcErrno.Invalid);
        }
        return TcErrno.Result(skb.Host->CloneRedirect(run, (uint)ifindex, flags));
    }
}
