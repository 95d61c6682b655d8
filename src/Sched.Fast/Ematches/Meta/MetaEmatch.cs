namespace Sched.Fast.Ematches.Meta;

/// <summary>struct tcf_meta_hdr with its value attributes: left OP right.</summary>
public sealed record MetaEmatch(MetaOperand Left, MetaOperand Right) : EmatchData;
