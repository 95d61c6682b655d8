using Sched.Fast.Devices;
using Sched.Fast.Tc.Kernel;
using Sched.Fast.Tc.Output;
using Sched.Fast.Time;

namespace Sched.Fast.Tc.Commands;

/// <summary>
/// The tc program (tc/tc.c): global options, the object dispatcher, batches (-batch FILE, -force), with tc's
/// messages and exit statuses, run against a <see cref="SchedApi"/> instead of rtnetlink. One engine serves a
/// running forwarder (its ports' devices) or an offline instance (devices created on first mention).
/// </summary>
public sealed class TcEngine
{
    /// <summary>What "tc -V" prints.</summary>
    public const string VersionText = "tc utility, iproute2-6.1.0 compatible (forwarder)";

    private const string UsageText =
        "Usage:\ttc [ OPTIONS ] OBJECT { COMMAND | help }\n" +
        "\ttc [-force] -batch filename\n" +
        "where  OBJECT := { qdisc | class | filter | chain |\n" +
        "\t\t    action | monitor | exec }\n" +
        "       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -r[aw] |\n" +
        "\t\t    -o[neline] | -j[son] | -p[retty] | -c[olor]\n" +
        "\t\t    -b[atch] [filename] | -n[etns] name | -N[umeric] |\n" +
        "\t\t     -nm | -nam[es] | { -cf | -conf } path\n" +
        "\t\t     -br[ief] }\n";

    public TcEngine(SchedApi kernel) => Kernel = kernel;

    public TcEngine(DeviceTable devices, IClock? clock = null) : this(new SchedApi(devices, clock)) { }

    public SchedApi Kernel { get; }

    /// <summary>
    /// Offline mode: a device named in a command is created (down, like a fresh veth) when it does not exist.
    /// </summary>
    public bool CreateDevicesOnMention { get; set; }

    /// <summary>MTU and txqueuelen of devices created on mention (a veth's defaults).</summary>
    public int CreatedDeviceMtu { get; set; } = 1500;

    public int CreatedDeviceTxQueueLength { get; set; } = 1000;

    /// <summary>Opens a batch file by name ("-" is stdin); null when it cannot be read (message in the exception).</summary>
    public Func<string, TextReader> OpenFile { get; set; } = name => new StreamReader(name);

    /// <summary>What a batch named "-" reads.</summary>
    public TextReader? Stdin { get; set; }

    /// <summary>Runs tc with <paramref name="argv"/> (the words after "tc"), as main() does.</summary>
    public TcRunResult Run(IReadOnlyList<string> argv) => Run(argv, OpenFile, Stdin);

    /// <summary>
    /// Runs tc with <paramref name="argv"/>, reading batch files through <paramref name="openFile"/> and "-b -"
    /// from <paramref name="stdin"/> (a control socket client sends both along with the command).
    /// </summary>
    public TcRunResult Run(IReadOnlyList<string> argv, Func<string, TextReader> openFile, TextReader? stdin)
    {
        var output = new TcOutput();
        int code;
        try
        {
            code = Main(argv, output, openFile, stdin);
        }
        catch (TcException ex) when (ex.Exits)
        {
            output.Err(ex.Message + "\n");
            code = ex.ExitCode;
        }
        return new TcRunResult(code & 0xFF, output);
    }

    /// <summary>The words of a tc command line that name files tc reads (the argument of -batch).</summary>
    public static IEnumerable<string> BatchFileArguments(IReadOnlyList<string> argv)
    {
        for (int i = 0; i < argv.Count; i++)
        {
            string a = argv[i];
            if (a.Length == 0 || a[0] != '-') yield break;
            if (Is(a, "-batch") && !Is(a, "-stats") && i + 1 < argv.Count) yield return argv[++i];
            else if (Is(a, "-netns") || Is(a, "-cf") || Is(a, "-conf")) i++;
        }
    }

    /// <summary>Runs the lines of <paramref name="batch"/> as "tc [options] -batch NAME" would.</summary>
    public TcRunResult RunBatch(TextReader batch, string name, TcPrintOptions options, bool force)
    {
        var output = new TcOutput();
        int code;
        try
        {
            code = Batch(batch, name, options, force, output);
        }
        catch (TcException ex) when (ex.Exits)
        {
            output.Err(ex.Message + "\n");
            code = ex.ExitCode;
        }
        return new TcRunResult(code & 0xFF, output);
    }

    private int Main(IReadOnlyList<string> argv, TcOutput output, Func<string, TextReader> openFile, TextReader? stdin)
    {
        var options = new TcPrintOptions();
        bool force = false;
        string? batchFile = null;
        int i = 0;
        for (; i < argv.Count; i++)
        {
            string a = argv[i];
            if (a.Length == 0 || a[0] != '-') break;
            if (Is(a, "-stats") || Is(a, "-statistics")) options = options with { ShowStats = options.ShowStats + 1 };
            else if (Is(a, "-details")) options = options with { ShowDetails = true };
            else if (Is(a, "-raw")) options = options with { ShowRaw = true };
            else if (Is(a, "-pretty")) options = options with { Pretty = true };
            else if (Is(a, "-graph")) options = options with { ShowGraph = true };
            else if (Is(a, "-Version"))
            {
                output.Out(VersionText + "\n");
                return 0;
            }
            else if (Is(a, "-iec")) options = options with { UseIec = true };
            else if (Is(a, "-help"))
            {
                output.Err(UsageText);
                return 0;
            }
            else if (Is(a, "-force")) force = true;
            else if (Is(a, "-batch"))
            {
                if (++i >= argv.Count)
                {
                    // tc prints the usage and carries on without a file.
                    output.Err(UsageText);
                    break;
                }
                batchFile = argv[i];
            }
            else if (Is(a, "-netns"))
            {
                output.Err("Option \"-netns\" is not supported by this tc.\n");
                return 255;
            }
            else if (Is(a, "-Numeric") || Is(a, "-names") || Is(a, "-nm") || Is(a, "-timestamp") || Is(a, "-tshort") ||
                     Is(a, "-brief")) { }
            else if (Is(a, "-cf") || Is(a, "-conf"))
            {
                if (++i >= argv.Count) throw TcException.Incomplete();
            }
            else if (Is(a.Split('=')[0], "-color")) { } // lib/color.c matches_color(): colors are not ours to print
            else if (Is(a, "-json")) options = options with { Json = true };
            else if (Is(a, "-oneline")) options = options with { OneLine = true };
            else
            {
                output.Err($"Option \"{a}\" is unknown, try \"tc -help\".\n");
                return 255;
            }
        }

        if (batchFile is not null)
        {
            TextReader reader;
            try
            {
                reader = batchFile == "-" ? stdin ?? TextReader.Null : openFile(batchFile);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or
                                           KeyNotFoundException)
            {
                output.Err($"Cannot open file \"{batchFile}\" for reading: {Describe(ex)}\n");
                return 1;
            }
            using (reader) return Batch(reader, batchFile, options, force, output);
        }

        if (i >= argv.Count)
        {
            output.Err(UsageText);
            return 0;
        }
        var statics = new Dictionary<Type, object>();
        return Command(new TcArgs(argv, i), new TcCommandContext(this, output, options, false, statics));
    }

    /// <summary>lib/utils.c do_batch(): line by line; a failing line stops the batch unless -force.</summary>
    private int Batch(TextReader reader, string name, TcPrintOptions options, bool force, TcOutput output)
    {
        var statics = new Dictionary<Type, object>();
        var context = new TcCommandContext(this, output, options, true, statics);
        int ret = 0;
        var lines = new TcBatchReader(reader);
        while (lines.ReadCommand() is { } line)
        {
            List<string> words = TcTokenizer.Split(line);
            if (words.Count == 0) continue;
            if (Command(new TcArgs(words), context) != 0)
            {
                output.Err($"Command failed {name}:{lines.LineNumber}\n");
                ret = 1;
                if (!force) break;
            }
        }
        if (lines.MissingContinuation) output.Err("Missing continuation line\n");
        return ret;
    }

    /// <summary>do_cmd(): pick the object and run it; a thrown error prints and becomes the return value.</summary>
    private static int Command(TcArgs args, TcCommandContext context)
    {
        string word = args.Current;
        try
        {
            ITcObjectCommand? command = TcObjects.Match(word);
            if (command is not null)
            {
                args.Advance();
                return Normalize(command.Run(args, context));
            }
            if (TcArgs.IsPrefixOf(word, "help"))
            {
                context.Err(UsageText);
                return 0;
            }
            context.Err($"Object \"{word}\" is unknown, try \"tc help\".\n");
            return 255;
        }
        catch (TcException ex) when (!ex.Exits)
        {
            context.Err(ex.Message + "\n");
            return Normalize(ex.ExitCode);
        }
    }

    private static int Normalize(int code) => code & 0xFF;

    private static bool Is(string arg, string option) => TcArgs.IsPrefixOf(arg, option);

    private static string Describe(Exception ex) => ex switch
    {
        FileNotFoundException or DirectoryNotFoundException or KeyNotFoundException => "No such file or directory",
        UnauthorizedAccessException => "Permission denied",
        _ => ex.Message,
    };

    /// <summary>The device called <paramref name="name"/>; created on first mention in offline mode.</summary>
    internal NetDevice? ResolveDevice(string name)
    {
        NetDevice? dev = Kernel.Devices.Find(name);
        if (dev is not null || !CreateDevicesOnMention || !IsValidName(name)) return dev;
        dev = new NetDevice(name, Kernel.Devices.NextIfIndex(), CreatedDeviceMtu, CreatedDeviceTxQueueLength);
        Kernel.Devices.Add(dev);
        return dev;
    }

    /// <summary>dev_valid_name(): at most 15 characters, no '/', ':' or whitespace, not "." or "..".</summary>
    private static bool IsValidName(string name) =>
        name.Length is > 0 and < 16 && name != "." && name != ".." &&
        !name.Any(c => c == '/' || c == ':' || char.IsWhiteSpace(c));
}
