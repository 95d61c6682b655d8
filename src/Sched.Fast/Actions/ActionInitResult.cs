namespace Sched.Fast.Actions;

/// <summary>The outcome of an action's init: the action and whether it was created (ACT_P_CREATED) or existed.</summary>
public readonly record struct ActionInitResult(TcAction Action, bool Created);
