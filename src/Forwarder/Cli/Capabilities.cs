namespace Forwarder.Cli;

/// <summary>The process's effective capabilities (capabilities(7)), read from /proc/self/status.</summary>
internal static class Capabilities
{
    public const int NetAdmin = 12;
    public const int NetRaw = 13;

    /// <summary>Whether capability <paramref name="bit"/> is effective; true when it cannot be told.</summary>
    public static bool HasEffective(int bit)
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/self/status"))
            {
                if (!line.StartsWith("CapEff:", StringComparison.Ordinal)) continue;
                ulong mask = Convert.ToUInt64(line[7..].Trim(), 16);
                return (mask & (1UL << bit)) != 0;
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return true;
    }
}
