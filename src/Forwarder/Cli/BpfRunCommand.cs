using System.CommandLine;
using System.Globalization;
using System.Text;
using Bpf.Native.Programs;

namespace Forwarder.Cli;

/// <summary>
/// <c>forwarder bpf run OBJ --data-in FILE ...</c>: bpftool's <c>prog run</c> on a tc program. Prints
/// "Return value: N, duration (average): Dns" exactly as bpftool does (N the unsigned 32-bit r0; "(average)" only
/// when repeat &gt; 1). "-" as an output file prints bpftool's hex dump; --ctx-in/--ctx-out use bpftool's binary
/// <c>struct __sk_buff</c>.
/// </summary>
internal static class BpfRunCommand
{
    public static Command Build()
    {
        var obj = BpfObjectOptions.Object();
        var section = BpfObjectOptions.Section();
        var engine = BpfObjectOptions.Engine();
        var pinMaps = BpfObjectOptions.PinMaps();
        var dataIn = new Option<string>("--data-in") { Description = "the frame to run on (at least 14 bytes)", Required = true };
        var dataOut = new Option<string?>("--data-out") { Description = "write the frame after the run here (- prints hex)" };
        var ctxIn = new Option<string?>("--ctx-in") { Description = "a binary struct __sk_buff to start from" };
        var ctxOut = new Option<string?>("--ctx-out") { Description = "write the struct __sk_buff after the run here (- prints hex)" };
        var repeat = new Option<uint>("--repeat") { Description = "runs (the duration printed is their average)", DefaultValueFactory = _ => 1 };
        var json = new Option<bool>("--json", "-j") { Description = "JSON output, as bpftool -j" };
        var cmd = new Command("run", "run a program on a frame, as bpftool prog run")
        {
            obj, section, dataIn, dataOut, ctxIn, ctxOut, repeat, engine, pinMaps, json,
        };
        cmd.SetAction(r => Run(r.GetValue(obj)!, r.GetValue(section), r.GetValue(dataIn)!, r.GetValue(dataOut),
            r.GetValue(ctxIn), r.GetValue(ctxOut), r.GetValue(repeat), r.GetValue(engine), r.GetValue(pinMaps),
            r.GetValue(json), Console.Out, Console.Error));
        return cmd;
    }

    public static int Run(string path, string? section, string dataIn, string? dataOut, string? ctxIn, string? ctxOut,
        uint repeat, Bpf.Native.Execution.EngineKind engine, string? pinMaps, bool json, TextWriter stdout, TextWriter stderr)
    {
        byte[] data;
        byte[] context = [];
        try
        {
            data = File.ReadAllBytes(dataIn);
            if (ctxIn is not null) context = File.ReadAllBytes(ctxIn);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"Error: failed to open {(e.Message)}");
            return 255;
        }
        using LoadedProgram? program = BpfObjectLoader.Load(path, section, engine, pinMaps, stderr);
        if (program is null) return 255;
        BpfTestRun? result = BpfTestRun.Run(program, data, context, repeat, out int error);
        if (result is null)
        {
            stderr.WriteLine($"Error: failed to run program: {Sched.Fast.Tc.Errno.Describe(-error)}");
            return (byte)error;
        }
        int status = 0;
        if (json) stdout.Write('{');
        if (dataOut is not null) status |= Output(result.DataOut, dataOut, "data_out", json, stdout, stderr);
        if (ctxOut is not null && context.Length > 0) status |= Output(result.ContextOut, ctxOut, "ctx_out", json, stdout, stderr);
        if (json)
        {
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"\"retval\":{result.ReturnValue},\"duration\":{result.DurationNs}}}"));
        }
        else
        {
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Return value: {result.ReturnValue}, duration{(repeat > 1 ? " (average)" : "")}: {result.DurationNs}ns"));
        }
        return status;
    }

    /// <summary>print_run_output(): a file, or "-" for bpftool's hex dump (JSON: an array of bytes).</summary>
    private static int Output(byte[] bytes, string file, string key, bool json, TextWriter stdout, TextWriter stderr)
    {
        if (file != "-")
        {
            try
            {
                File.WriteAllBytes(file, bytes);
                return 0;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"Error: failed to open {file}: {e.Message}");
                return 1;
            }
        }
        if (json)
        {
            stdout.Write($"\"{key}\":[{string.Join(',', bytes.Select(b => b.ToString(CultureInfo.InvariantCulture)))}],");
            return 0;
        }
        stdout.Write(HexDump(bytes));
        return 0;
    }

    /// <summary>bpftool's hex_print(): offset, 16 bytes in pairs, and their characters.</summary>
    public static string HexDump(ReadOnlySpan<byte> data)
    {
        var text = new StringBuilder();
        for (int i = 0; i < data.Length; i += 16)
        {
            text.Append(i.ToString("x7", CultureInfo.InvariantCulture)).Append('\t');
            int j = i;
            for (; j < i + 16 && j < data.Length; j++)
            {
                text.Append(data[j].ToString("x2", CultureInfo.InvariantCulture)).Append(j % 2 != 0 ? " " : "");
            }
            for (; j < i + 16; j++)
            {
                text.Append("  ").Append(j % 2 != 0 ? " " : "");
            }
            text.Append("| ");
            for (j = i; j < i + 16 && j < data.Length; j++)
            {
                char c = (char)data[j];
                text.Append(c is < ' ' or > '~' ? '.' : c).Append(j == i + 7 ? " " : "");
            }
            text.Append('\n');
        }
        return text.ToString();
    }
}
