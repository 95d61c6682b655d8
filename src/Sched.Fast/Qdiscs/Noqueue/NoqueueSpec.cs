namespace Sched.Fast.Qdiscs.Noqueue;

/// <summary>noqueue has no options; the kernel dumps none.</summary>
public sealed record NoqueueSpec : QdiscSpec
{
    public static readonly NoqueueSpec Instance = new();
}
