using Forwarder.Tests.EndToEnd;

namespace Forwarder.Tests.Wire;

/// <summary>iperf3 between the lab's ends: a one-shot server in ns sink and a client in ns gen, as background processes.</summary>
public static class Iperf3
{
    public static ForwarderProcess Server(EndToEnd.Lab lab)
    {
        ForwarderProcess server = ForwarderProcess.StartProgram(lab.Topology.Sink, "Server listening",
            "iperf3", "-s", "-1", "--forceflush", "-B", "198.18.0.2");
        server.WaitReady(TimeSpan.FromSeconds(10));
        return server;
    }

    /// <summary>`iperf3 -c 198.18.0.2 ARGS` in ns gen, running in the background until it ends or is disposed.</summary>
    public static ForwarderProcess Client(EndToEnd.Lab lab, params string[] args) =>
        ForwarderProcess.StartProgram(lab.Topology.Gen, "\u0000", "iperf3",
            [.. new[] { "-c", "198.18.0.2", "--connect-timeout", "5000" }, .. args]);
}
