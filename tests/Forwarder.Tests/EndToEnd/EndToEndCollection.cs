namespace Forwarder.Tests.EndToEnd;

/// <summary>End-to-end tests share 2 cores with traffic generators: they run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EndToEndCollection
{
    public const string Name = "end to end";
}
