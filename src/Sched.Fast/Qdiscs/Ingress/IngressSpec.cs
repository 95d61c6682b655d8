namespace Sched.Fast.Qdiscs.Ingress;

/// <summary>ingress and clsact take no options; the kernel dumps an empty TCA_OPTIONS nest (ingress_dump()).</summary>
public sealed record IngressSpec : QdiscSpec
{
    public static readonly IngressSpec Instance = new();
}
