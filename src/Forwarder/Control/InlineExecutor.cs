namespace Forwarder.Control;

/// <summary>Runs the work at once on the calling thread, one call at a time.</summary>
public sealed class InlineExecutor : IControlExecutor
{
    private readonly Lock _lock = new();

    public Task<T> InvokeAsync<T>(Func<T> work)
    {
        lock (_lock) return Task.FromResult(work());
    }
}
