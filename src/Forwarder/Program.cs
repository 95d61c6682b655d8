using System.CommandLine;
using Forwarder.Cli;

namespace Forwarder;

internal static class Program
{
    private static int Main(string[] args)
    {
        RootCommand root = CliCommands.BuildRoot();
        // Commands handle SIGINT/SIGTERM themselves so that they can stop cleanly and print a summary.
        var config = new InvocationConfiguration { ProcessTerminationTimeout = null };
        return root.Parse(args).Invoke(config);
    }
}
