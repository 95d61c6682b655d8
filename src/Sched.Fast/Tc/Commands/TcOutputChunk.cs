namespace Sched.Fast.Tc.Commands;

/// <summary>A run of text printed on one stream.</summary>
public sealed record TcOutputChunk(bool IsError, string Text);
