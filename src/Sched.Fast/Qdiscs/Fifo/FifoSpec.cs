namespace Sched.Fast.Qdiscs.Fifo;

/// <summary>struct tc_fifo_qopt: the limit in packets (pfifo, pfifo_head_drop) or bytes (bfifo).</summary>
public sealed record FifoSpec(uint Limit) : QdiscSpec;
