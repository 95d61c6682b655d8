namespace Forwarder.Control;

/// <summary>
/// Where instances listen: /run/forwarder/NAME.sock (FORWARDER_RUN_DIR overrides the directory, for tests and
/// unprivileged runs), and how "forwarder tc" finds the one to talk to.
/// </summary>
public static class ControlSocket
{
    public const string DefaultName = "default";
    public const string Extension = ".sock";

    public static string RunDirectory =>
        Environment.GetEnvironmentVariable("FORWARDER_RUN_DIR") is { Length: > 0 } dir ? dir : "/run/forwarder";

    public static string PathFor(string name) => Path.Combine(RunDirectory, name + Extension);

    /// <summary>Instance names with a socket in the run directory.</summary>
    public static IReadOnlyList<string> Instances()
    {
        if (!Directory.Exists(RunDirectory)) return [];
        return [.. Directory.EnumerateFiles(RunDirectory, "*" + Extension)
            .Select(p => Path.GetFileName(p)[..^Extension.Length])
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// The socket of instance <paramref name="name"/>, or of the only running instance when no name is given.
    /// </summary>
    public static string ResolveInstance(string? name)
    {
        if (name is not null)
        {
            if (!IsValidName(name)) throw new ControlException($"invalid instance name \"{name}\"");
            return PathFor(name);
        }
        IReadOnlyList<string> all = Instances();
        return all.Count switch
        {
            0 => throw new ControlException($"no forwarder instance is running (no socket in {RunDirectory})"),
            1 => PathFor(all[0]),
            _ => throw new ControlException(
                $"{all.Count} forwarder instances are running ({string.Join(", ", all)}); choose one with --instance NAME"),
        };
    }

    /// <summary>Instance names are file names: letters, digits, '-', '_', '.', not starting with '.'.</summary>
    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= 64 && name[0] != '.' &&
        name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
