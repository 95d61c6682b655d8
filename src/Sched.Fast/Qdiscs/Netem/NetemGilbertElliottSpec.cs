namespace Sched.Fast.Qdiscs.Netem;

/// <summary>
/// struct tc_netem_gemodel (NETEM_LOSS_GE, "loss gemodel"): p (good to bad), r (bad to good), h (the kernel's h:
/// no loss in the bad state; tc's option is 1-h) and k1 (tc's 1-k: the loss probability in the good state).
/// </summary>
public sealed record NetemGilbertElliottSpec(uint P, uint R, uint H, uint K1) : NetemLossModelSpec;
