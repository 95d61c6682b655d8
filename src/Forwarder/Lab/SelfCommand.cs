namespace Forwarder.Lab;

/// <summary>How to start this program again as a child: the apphost, or `dotnet forwarder.dll` when run that way.</summary>
internal static class SelfCommand
{
    public static (string File, List<string> Prefix) Get()
    {
        string path = Environment.ProcessPath ?? "forwarder";
        if (Path.GetFileNameWithoutExtension(path) == "dotnet")
            return (path, [Path.Combine(AppContext.BaseDirectory, "forwarder.dll")]);
        return (path, []);
    }
}
