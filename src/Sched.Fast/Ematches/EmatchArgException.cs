namespace Sched.Fast.Ematches;

/// <summary>
/// An ematch kind's parser rejecting its arguments (tc's PARSE_ERR(carg, fmt)): the message and the argument it
/// is about (null: none marked). <see cref="Silent"/> failures print only the message (meta(list)).
/// </summary>
public sealed class EmatchArgException(string message, EmatchArg? arg, bool silent = false) : Exception(message)
{
    public EmatchArg? Arg { get; } = arg;
    public bool Silent { get; } = silent;
}
