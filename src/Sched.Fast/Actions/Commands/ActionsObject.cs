using Sched.Fast.Classifiers;
using Sched.Fast.Tc;
using Sched.Fast.Tc.Commands;
using Sched.Fast.Tc.Output;

namespace Sched.Fast.Actions.Commands;

/// <summary>"tc actions" in the tc engine: do_action() over the engine's kernel model.</summary>
public sealed class ActionsObject : ITcObjectCommand
{
    public string Name => "actions";

    public int Run(TcArgs args, TcCommandContext context)
    {
        var command = new ActionCommand(FilterNamespace.For(context.Kernel));
        TcWriter w = context.NewWriter();
        var err = new StringWriter();
        try
        {
            return command.Run(args, w, err);
        }
        finally
        {
            context.Out(w.ToString());
            context.Err(err.ToString());
        }
    }
}
