namespace Bpf.Native.Maps;

/// <summary>A pin file that is not a map this project wrote, or not the map the caller expects.</summary>
public sealed class MapFormatException : Exception
{
    public MapFormatException(string message)
        : base(message)
    {
    }
}
