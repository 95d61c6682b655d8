using System.CommandLine;
using Bpf.Native.Execution;

namespace Forwarder.Cli;

/// <summary>Options the <c>forwarder bpf</c> commands that load an object share.</summary>
internal static class BpfObjectOptions
{
    public static Argument<string> Object() => new("OBJ") { Description = "the ELF object file (built with clang -target bpf)" };

    public static Option<string?> Section() => new("--section")
    {
        Description = "the section holding the program (default: tc's, classifier, classify, action or tc)",
    };

    public static Option<EngineKind> Engine() => new("--engine")
    {
        Description = "jit (the default) or interpreter",
        HelpName = "jit|interpreter",
        DefaultValueFactory = _ => EngineKind.Jit,
        CustomParser = r =>
        {
            string text = r.Tokens.Count > 0 ? r.Tokens[0].Value : "jit";
            switch (text)
            {
                case "jit": return EngineKind.Jit;
                case "interpreter": return EngineKind.Interpreter;
                default:
                    r.AddError($"--engine must be jit or interpreter, not '{text}'");
                    return EngineKind.Jit;
            }
        },
    };

    public static Option<string?> PinMaps() => new("--pin-maps")
    {
        Description = "pin every map of the object in DIR (created there, or opened when already pinned)",
        HelpName = "DIR",
    };
}
