using System.IO.MemoryMappedFiles;

namespace Bpf.Native.Maps;

/// <summary>Map memory backed by a pin file, mapped shared: every process that maps the file sees the same bytes.</summary>
internal sealed unsafe class FileMapMemory : MapMemory
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private string _path;

    private FileMapMemory(string path, FileStream stream, long length)
    {
        _path = path;
        _file = MemoryMappedFile.CreateFromFile(stream, null, length, MemoryMappedFileAccess.ReadWrite,
            HandleInheritability.None, leaveOpen: false);
        _view = _file.CreateViewAccessor(0, length, MemoryMappedFileAccess.ReadWrite);
        byte* pointer = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        Base = pointer + _view.PointerOffset;
        Length = length;
    }

    public override string? FilePath => _path;

    /// <summary>The file was renamed (a staged pin linked into place); the mapping is unchanged.</summary>
    internal void Renamed(string path) => _path = path;

    /// <summary>Creates <paramref name="path"/> (which must not exist) with <paramref name="length"/> zero bytes and maps it.</summary>
    public static FileMapMemory Create(string path, long length)
    {
        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        stream.SetLength(length);
        return new FileMapMemory(path, stream, length);
    }

    /// <summary>Maps an existing pin file whole.</summary>
    public static FileMapMemory Open(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        long length = stream.Length;
        if (length < PageBytes)
        {
            stream.Dispose();
            throw new MapFormatException($"{path}: {length} bytes is too short for a pinned map");
        }
        return new FileMapMemory(path, stream, length);
    }

    public override void Dispose()
    {
        if (Base != null)
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            Base = null;
        }
        _view.Dispose();
        _file.Dispose();
    }
}
