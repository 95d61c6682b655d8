namespace Sched.Fast.Tests.Qdiscs.Netem;

/// <summary>Files the netem tests read: iproute2's installed tables and the fixtures next to these sources.</summary>
internal static class NetemTestFiles
{
    /// <summary>Where Debian's iproute2 6.1 installs normal.dist and the others.</summary>
    public const string InstalledTables = "/usr/lib/x86_64-linux-gnu/tc";

    /// <summary>A fixture under tests/Sched.Fast.Tests/Qdiscs/Netem/Fixtures, found from the test binary upwards.</summary>
    public static string Fixture(string name)
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            string candidate = Path.Combine(d.FullName, "tests", "Sched.Fast.Tests", "Qdiscs", "Netem", "Fixtures", name);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"netem test fixture {name} not found above {AppContext.BaseDirectory}");
    }
}
