namespace Sched.Fast.Qdiscs.Htb;

/// <summary>enum htb_cmode: what a class may do now, from its two buckets.</summary>
public enum HtbClassMode
{
    /// <summary>HTB_CANT_SEND: over its ceil; may neither send nor borrow.</summary>
    CantSend,
    /// <summary>HTB_MAY_BORROW: over its rate but under its ceil; may send with tokens borrowed from an ancestor.</summary>
    MayBorrow,
    /// <summary>HTB_CAN_SEND: under its rate.</summary>
    CanSend,
}
