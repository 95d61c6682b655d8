using Forwarder.Control;
using Sched.Fast.Tc.Commands;

namespace Forwarder.Cli;

/// <summary>
/// "forwarder tc [--offline | --instance NAME] TC-ARGS...": tc's command line, run against a running forwarder
/// through its control socket, or against an in-memory instance (--offline). Prints what tc prints and exits with
/// tc's status.
/// </summary>
public static class TcCli
{
    public const string Usage =
        "Usage: forwarder tc [ --offline | --instance NAME | --socket PATH ] [ TC-OPTIONS ] OBJECT COMMAND ...\n" +
        "       forwarder tc --offline [ -s ] [ -d ] [ -j ] [ -force ] -b FILE\n" +
        "       forwarder tc --offline --transcript FILE [ 'SHOW COMMAND' ... ]\n";

    /// <summary>Runs with the words after "tc"; returns the exit status.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        bool offline = false;
        string? transcript = null;
        string? instance = null;
        string? socketPath = null;
        int i = 0;
        for (; i < args.Count; i++)
        {
            string a = args[i];
            if (a == "--offline") offline = true;
            else if (a == "--instance" && i + 1 < args.Count) instance = args[++i];
            else if (a.StartsWith("--instance=", StringComparison.Ordinal)) instance = a["--instance=".Length..];
            else if (a == "--socket" && i + 1 < args.Count) socketPath = args[++i];
            else if (a == "--transcript" && i + 1 < args.Count) transcript = args[++i];
            else if (a == "--help")
            {
                stdout.Write(Usage);
                return 0;
            }
            else break;
        }
        string[] tcArgs = [.. args.Skip(i)];

        if (offline && transcript is not null)
        {
            // The kernel oracle's layout: the batch, then each show command as its own tc run.
            string text;
            try
            {
                text = File.ReadAllText(transcript);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"forwarder tc: cannot read {transcript}: {ex.Message}");
                return 1;
            }
            stdout.Write(TcTranscript.Run(OfflineInstance.Create(), text, tcArgs));
            stdout.Flush();
            return 0;
        }

        if (offline)
        {
            TcEngine engine = OfflineInstance.Create();
            engine.Stdin = Console.In;
            TcRunResult result = engine.Run(tcArgs);
            Replay(result.Output, stdout, stderr);
            return result.ExitCode;
        }

        try
        {
            string path = socketPath ?? ControlSocket.ResolveInstance(instance);
            TcRunResult result = ControlClient.Run(path, tcArgs, Console.In);
            Replay(result.Output, stdout, stderr);
            return result.ExitCode;
        }
        catch (ControlException ex)
        {
            stderr.WriteLine($"forwarder tc: {ex.Message}");
            return 1;
        }
    }

    public static void Replay(TcOutput output, TextWriter stdout, TextWriter stderr)
    {
        foreach (TcOutputChunk chunk in output.Chunks)
        {
            if (chunk.IsError)
            {
                stdout.Flush();
                stderr.Write(chunk.Text);
                stderr.Flush();
            }
            else
            {
                stdout.Write(chunk.Text);
            }
        }
        stdout.Flush();
    }
}
