namespace Forwarder.Control;

/// <summary>Control work on the forwarder's datapath thread, at its safe point between bursts.</summary>
public sealed class DatapathExecutor(Datapath.Datapath datapath) : IControlExecutor
{
    public Task<T> InvokeAsync<T>(Func<T> work) => datapath.InvokeAsync(work);
}
