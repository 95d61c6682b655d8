using System.Runtime.InteropServices;

namespace Forwarder.Tests.Bpf;

/// <summary>
/// Runs code with the calling thread inside a named network namespace (setns(2) on /var/run/netns/NAME), then puts
/// the thread back. Sockets keep the namespace they were created in, so ports opened inside stay there.
/// </summary>
internal static partial class NetworkNamespace
{
    private const int CloneNewNet = 0x40000000;

    public static T Enter<T>(string name, Func<T> action)
    {
        using var self = File.OpenHandle($"/proc/thread-self/ns/net");
        using var target = File.OpenHandle($"/var/run/netns/{name}");
        Thread.BeginThreadAffinity();
        try
        {
            if (SetNs((int)target.DangerousGetHandle(), CloneNewNet) != 0)
            {
                throw new InvalidOperationException($"setns into {name} failed: errno {Marshal.GetLastPInvokeError()}");
            }
            try
            {
                return action();
            }
            finally
            {
                if (SetNs((int)self.DangerousGetHandle(), CloneNewNet) != 0)
                {
                    Environment.FailFast("cannot return the thread to its network namespace");
                }
            }
        }
        finally
        {
            Thread.EndThreadAffinity();
        }
    }

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNs(int fd, int nstype);
}
