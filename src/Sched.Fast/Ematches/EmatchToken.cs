namespace Sched.Fast.Ematches;

/// <summary>The tokens of tc/emp_ematch.y.</summary>
public enum EmatchTokenKind
{
    End,
    Error,
    Attribute,
    And,
    Or,
    Not,
    Open,
    Close,
}

/// <summary>One token: its kind, and for an attribute its text.</summary>
public readonly record struct EmatchToken(EmatchTokenKind Kind, EmatchArg? Arg)
{
    public static readonly EmatchToken End = new(EmatchTokenKind.End, null);
}
