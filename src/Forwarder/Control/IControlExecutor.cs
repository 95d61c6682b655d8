namespace Forwarder.Control;

/// <summary>
/// Runs control-plane work where the qdisc trees may be touched: on the datapath's scheduler thread between two
/// bursts (its safe point), since qdiscs hold no locks. The datapath implements it; <see cref="InlineExecutor"/>
/// serves instances without one (offline, tests).
/// </summary>
public interface IControlExecutor
{
    /// <summary>Runs <paramref name="work"/> at the next safe point and completes with its result.</summary>
    Task<T> InvokeAsync<T>(Func<T> work);
}
