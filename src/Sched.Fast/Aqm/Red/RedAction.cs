namespace Sched.Fast.Aqm.Red;

/// <summary>red_action()'s verdicts (include/net/red.h RED_DONT_MARK, RED_PROB_MARK, RED_HARD_MARK).</summary>
public enum RedAction
{
    /// <summary>Average below min_th, or between the thresholds and not drawn.</summary>
    DontMark = 0,
    /// <summary>Between the thresholds and drawn: mark (ECN) or drop.</summary>
    ProbMark = 1,
    /// <summary>Average at or above max_th: mark or drop.</summary>
    HardMark = 2,
}
