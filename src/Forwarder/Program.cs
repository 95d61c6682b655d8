using System.CommandLine;
using Forwarder.Cli;

namespace Forwarder;

internal static class Program
{
    private static int Main(string[] args)
    {
        // "forwarder tc ..." passes tc's own words through untouched (tc options look like ours).
        if (args.Length > 0 && args[0] == "tc") return TcCli.Run(args[1..], Console.Out, Console.Error);
        if (args.Length > 0 && args[0] is "run" or "bridge" or "lab") SignalDisposition.EnsureSigintHandled(args);
        RootCommand root = CliCommands.BuildRoot();
        // Commands handle SIGINT/SIGTERM themselves so that they can stop cleanly and print a summary.
        var config = new InvocationConfiguration { ProcessTerminationTimeout = null };
        return root.Parse(args).Invoke(config);
    }
}
