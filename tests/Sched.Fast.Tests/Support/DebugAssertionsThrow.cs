using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Sched.Fast.Tests.Support;

/// <summary>
/// Turns a failed Debug.Assert (the qdiscs' AssertInvariants) into an exception the test reports, instead of the
/// default fail-fast that would kill the test host.
/// </summary>
internal static class DebugAssertionsThrow
{
    [ModuleInitializer]
    internal static void Install()
    {
        Trace.Listeners.Clear();
        Trace.Listeners.Add(new ThrowingListener());
    }

    private sealed class ThrowingListener : TraceListener
    {
        public override void Write(string? message) { }
        public override void WriteLine(string? message) { }
        public override void Fail(string? message, string? detailMessage) =>
            throw new InvariantViolatedException($"{message} {detailMessage}".Trim());
    }
}

public sealed class InvariantViolatedException(string message) : Exception(message);
