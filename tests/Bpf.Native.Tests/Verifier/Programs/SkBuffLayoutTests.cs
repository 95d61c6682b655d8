using System.Globalization;
using Bpf.Native.Programs;
using Bpf.Native.Tests.Support;

namespace Bpf.Native.Tests.Verifier.Programs;

/// <summary>The __sk_buff layout against the uapi header of this machine, compiled with clang.</summary>
public sealed class SkBuffLayoutTests
{
    [Fact]
    public void Every_field_has_the_offset_and_size_of_the_uapi_header()
    {
        string directory = Path.Combine(Path.GetTempPath(), "skbuff-layout-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var source = new System.Text.StringBuilder(
                "#include <stdio.h>\n#include <stddef.h>\n#include <linux/bpf.h>\nint main(void) {\n");
            foreach (var field in SkBuffLayout.Fields)
            {
                source.Append(CultureInfo.InvariantCulture,
                    $"printf(\"{field.Name} %zu %zu\\n\", offsetof(struct __sk_buff, {field.Name}), sizeof(((struct __sk_buff *)0)->{field.Name}));\n");
            }
            source.Append("printf(\"sizeof %zu 0\\n\", sizeof(struct __sk_buff));\nreturn 0;\n}\n");
            File.WriteAllText(Path.Combine(directory, "layout.c"), source.ToString());
            NativeTool.Shell("clang -I/usr/include/$(gcc -print-multiarch) layout.c -o layout && ./layout > layout.txt", directory);

            var lines = File.ReadAllLines(Path.Combine(directory, "layout.txt"))
                .Select(line => line.Split(' '))
                .ToDictionary(parts => parts[0], parts => (int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture)));
            foreach (var field in SkBuffLayout.Fields)
            {
                Assert.Equal((field.OffsetBytes, field.SizeBytes), lines[field.Name]);
            }
            Assert.Equal(SkBuffLayout.SizeBytes, lines["sizeof"].Item1);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Fields_are_found_by_any_byte_inside_them()
    {
        Assert.Equal("mark", SkBuffLayout.FieldAt(SkBuffLayout.Mark + 3)?.Name);
        Assert.Equal("cb", SkBuffLayout.FieldAt(SkBuffLayout.Cb + 17)?.Name);
        Assert.Null(SkBuffLayout.FieldAt(SkBuffLayout.PaddingStart));
        Assert.Null(SkBuffLayout.FieldAt(SkBuffLayout.SizeBytes));
    }

    [Fact]
    public void Fields_do_not_overlap_and_stay_inside_the_struct()
    {
        var fields = SkBuffLayout.Fields;
        for (int i = 1; i < fields.Count; i++)
        {
            Assert.True(fields[i - 1].EndBytes <= fields[i].OffsetBytes, fields[i].Name);
        }
        Assert.True(fields[^1].EndBytes <= SkBuffLayout.SizeBytes);
    }
}
