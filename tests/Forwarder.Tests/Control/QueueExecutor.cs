using System.Collections.Concurrent;
using Forwarder.Control;

namespace Forwarder.Tests.Control;

/// <summary>
/// An <see cref="IControlExecutor"/> like a datapath's: work is queued and run by the owner thread when it calls
/// <see cref="RunPending"/> between bursts.
/// </summary>
public sealed class QueueExecutor : IControlExecutor
{
    private readonly ConcurrentQueue<Action> _work = new();

    public Task<T> InvokeAsync<T>(Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Enqueue(() =>
        {
            try
            {
                done.SetResult(work());
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        });
        return done.Task;
    }

    public int RunPending()
    {
        int n = 0;
        while (_work.TryDequeue(out Action? a))
        {
            a();
            n++;
        }
        return n;
    }
}
