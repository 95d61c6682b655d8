namespace Bpf.Native.Execution;

/// <summary>Why a running program must stop before its exit instruction.</summary>
internal enum RunExitRequest
{
    None = 0,
    /// <summary>A helper took a tail call: run <see cref="BpfRunContext.TailCallTarget"/> instead.</summary>
    TailCall = 1,
    /// <summary>The run failed (a callx to an unknown helper): the result is 0.</summary>
    Abort = 2,
}
