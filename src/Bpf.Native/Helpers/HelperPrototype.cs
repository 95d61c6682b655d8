namespace Bpf.Native.Helpers;

/// <summary>
/// The typed prototype of a helper, as the kernel's struct bpf_func_proto: the return kind and up to five argument
/// kinds (r1-r5). The engines do not need it; the verifier of the next layer checks calls against it.
/// </summary>
public sealed class HelperPrototype
{
    public const int MaxArguments = 5;

    public HelperPrototype(HelperReturnKind returns, params HelperArgumentKind[] arguments)
    {
        if (arguments.Length > MaxArguments)
        {
            throw new ArgumentException($"A helper takes at most {MaxArguments} arguments (r1-r5), not {arguments.Length}.", nameof(arguments));
        }
        Returns = returns;
        Arguments = arguments.ToArray();
    }

    public HelperReturnKind Returns { get; }

    /// <summary>Kinds of r1, r2, ... for the arguments the helper uses.</summary>
    public IReadOnlyList<HelperArgumentKind> Arguments { get; }

    /// <summary>The kind of argument register r<paramref name="register"/> (1-5); unused ones are None.</summary>
    public HelperArgumentKind Argument(int register) =>
        register >= 1 && register <= Arguments.Count ? Arguments[register - 1] : HelperArgumentKind.None;

    public override string ToString() => $"{Returns}({string.Join(", ", Arguments)})";
}
