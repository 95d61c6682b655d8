using System.Diagnostics;

namespace Bpf.Native.Tests.Support;

/// <summary>Runs the native toolchain (clang, llc, llvm-objcopy) that builds fixtures at test setup.</summary>
internal static class NativeTool
{
    /// <summary>Runs <paramref name="command"/> with sh in <paramref name="directory"/>; throws with its output if it fails.</summary>
    public static void Shell(string command, string directory)
    {
        var start = new ProcessStartInfo("/bin/sh", ["-c", command])
        {
            WorkingDirectory = directory,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start /bin/sh");
        string stdout = process.StandardOutput.ReadToEnd();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{command}' failed with exit code {process.ExitCode}:\n{stdout}\n{stderr}");
        }
    }

    /// <summary>The raw bytes of one section of an object file (llvm-objcopy -O binary --only-section).</summary>
    public static byte[] Section(string objectPath, string section)
    {
        string output = $"{objectPath}.{section.TrimStart('.')}.{Guid.NewGuid():N}.bin";
        Shell($"llvm-objcopy -O binary --only-section={section} '{objectPath}' '{output}'", Path.GetDirectoryName(objectPath)!);
        return File.ReadAllBytes(output);
    }
}
