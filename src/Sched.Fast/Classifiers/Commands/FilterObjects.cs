using Sched.Fast.Tc;
using Sched.Fast.Tc.Commands;
using Sched.Fast.Tc.Output;

namespace Sched.Fast.Classifiers.Commands;

/// <summary>"tc filter" in the tc engine: do_filter() over the engine's kernel model.</summary>
public sealed class FilterObject : ITcObjectCommand
{
    public string Name => "filter";

    public int Run(TcArgs args, TcCommandContext context) =>
        FilterObjectRun.Run(context, (cmd, w, err) => cmd.RunFilter(args, w, err));
}

/// <summary>"tc chain" in the tc engine: do_chain().</summary>
public sealed class ChainObject : ITcObjectCommand
{
    public string Name => "chain";

    public int Run(TcArgs args, TcCommandContext context) =>
        FilterObjectRun.Run(context, (cmd, w, err) => cmd.RunChain(args, w, err));
}

/// <summary>The plumbing both share: the namespace of the engine, the run's statics, stdout and stderr.</summary>
internal static class FilterObjectRun
{
    public static int Run(TcCommandContext context, Func<FilterCommand, TcWriter, StringWriter, int> run)
    {
        var command = new FilterCommand(FilterNamespace.For(context.Kernel), context.Statics<FilterShowStatics>());
        TcWriter w = context.NewWriter();
        var err = new StringWriter();
        try
        {
            return run(command, w, err);
        }
        finally
        {
            context.Out(w.ToString());
            context.Err(err.ToString());
        }
    }
}
