using System.CommandLine;
using Bpf.Native.Conformance;

namespace Forwarder.Cli;

/// <summary>
/// <c>forwarder bpf conformance-plugin [MEM] [--engine jit|interpreter]</c>: the bpf_conformance suite's plugin.
/// Every word after the command goes to <see cref="ConformancePlugin.Run"/> unchanged and in order (the suite's
/// runner passes the memory first, possibly empty, then its options as one or several words).
/// </summary>
internal static class BpfConformanceCommand
{
    public static Command Build()
    {
        var words = new Argument<string[]>("ARGS") { Arity = ArgumentArity.ZeroOrMore, Description = "MEM [--engine jit|interpreter]" };
        var cmd = new Command("conformance-plugin", "the bpf_conformance plugin: the program on stdin, r0 in hex on stdout")
        {
            words,
        };
        cmd.TreatUnmatchedTokensAsErrors = false;
        cmd.SetAction(r =>
        {
            // The words exactly as given, options included, in their order.
            string[] args = r.Tokens.SkipWhile(t => t.Value != "conformance-plugin").Skip(1).Select(t => t.Value).ToArray();
            return ConformancePlugin.Run(args, Console.In, Console.Out, Console.Error);
        });
        return cmd;
    }
}
