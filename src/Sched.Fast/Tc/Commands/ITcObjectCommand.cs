namespace Sched.Fast.Tc.Commands;

/// <summary>
/// One object of the tc command line (tc/tc.c do_cmd()): qdisc, class, filter, chain, actions. The implementation
/// is the object's do_OBJECT(): it reads the verb and its words from <paramref name="args"/> (positioned after the
/// object word) and returns what do_OBJECT() returns (0, 1, 2, -1 ...), which becomes tc's exit status.
/// Errors may also be thrown as <see cref="TcException"/>: the message goes to stderr and its exit code is the
/// return value; one with <see cref="TcException.Exits"/> ends a batch as exit() does.
/// Register an implementation with one line in <see cref="TcObjects"/>.
/// </summary>
public interface ITcObjectCommand
{
    /// <summary>The object word as tc matches it (a prefix selects it): "filter", "chain", "actions".</summary>
    string Name { get; }

    int Run(TcArgs args, TcCommandContext context);
}
