using Sched.Fast.Classifiers;
using Sched.Fast.Classifiers.Bpf;
using Sched.Fast.Devices;
using Sched.Fast.Tc;
using Sched.Fast.Tc.Output;

namespace Sched.Fast.Tests.Classifiers.Bpf;

/// <summary>
/// tc/f_bpf.c parsing and printing. Expected texts are what iproute2 6.1 printed for the same commands on this
/// machine's kernel (tc filter add/show in a namespace, kernel 6.18, cls_bpf).
/// </summary>
public sealed class BpfKindTests
{
    private readonly BpfKind _kind = new();
    private readonly DeviceTable _devices = new();

    private FilterRequest Parse(string words) => _kind.ParseOptions(null, TcArgs.Parse(words), _devices);

    private string Show(FilterRequest request, bool json = false, bool details = false)
    {
        var tp = new BpfClassifier(49152, EtherTypes.All) { Namespace = new FilterNamespace(_devices) };
        FilterNode node = tp.Change(new FilterChange { Handle = request.Handle, Options = request.Options });
        var w = new TcWriter(new TcPrintOptions { Json = json, ShowDetails = details });
        if (json) w.OpenObject(null);
        _kind.PrintOptions(w, tp.Dump(node), new FilterPrintContext(EtherTypes.All, _devices));
        if (json) w.CloseObject();
        return w.ToString();
    }

    [Fact]
    public void An_object_filter_prints_its_name_flags_and_program()
    {
        var r = Parse($"obj {BpfFixtures.Object("cls")} sec classify");
        var spec = (BpfSpec)r.Options!;
        string text = Show(r);
        Assert.Equal($"handle 0x1 cls.o:[classify] not_in_hw id {spec.Program!.Id} name cls_main tag 6bb4e9a61a2e732b jited ", text);
    }

    [Fact]
    public void Direct_action_and_classid_print_before_the_offload_flags()
    {
        var r = Parse($"obj {BpfFixtures.Object("cls")} sec classify da classid 1:2");
        string text = Show(r);
        Assert.StartsWith("handle 0x1 flowid 1:2 cls.o:[classify] direct-action not_in_hw id ", text);
    }

    [Fact]
    public void Json_puts_the_program_in_a_prog_object()
    {
        var r = Parse($"object-file {BpfFixtures.Object("cls")} section classify");
        var spec = (BpfSpec)r.Options!;
        Assert.Equal(
            $"{{\"handle\":\"0x1\",\"bpf_name\":\"cls.o:[classify]\",\"not_in_hw\":true,\"prog\":{{\"id\":{spec.Program!.Id},\"name\":\"cls_main\",\"tag\":\"6bb4e9a61a2e732b\",\"jited\":1}}}}",
            Show(r, json: true));
    }

    [Fact]
    public void Classic_bytecode_prints_as_tc_reads_it()
    {
        Assert.Equal("handle 0x1 not_in_hw bytecode '1,6 0 0 4294967295'", Show(Parse("bytecode '1,6 0 0 4294967295'")));
        Assert.Equal("handle 0x1 not_in_hw bytecode '2,40 0 0 12,6 0 0 0'", Show(Parse("bc '2,40 0 0 12,6 0 0 0'")));
    }

    [Fact]
    public void Details_add_the_load_time_and_uid()
    {
        string text = Show(Parse($"obj {BpfFixtures.Object("cls")} sec classify"), details: true);
        Assert.Matches(@"jited load_time \d+ created_by_uid \d+ $", text);
    }

    [Theory]
    [InlineData("bytecode '2,6 0 0 1'", "Parsed program length is less than encoded length parameter!\nUnable to parse bpf command line")]
    [InlineData("bytecode '1,6 0 0 1,6 0 0 2'", "Real program length exceeds encoded length parameter!\nUnable to parse bpf command line")]
    [InlineData("bytecode '1,6 x 0 1'", "Error at instruction 0!\nUnable to parse bpf command line")]
    [InlineData("foo", "What mode is \"foo\"?\nUnable to parse bpf command line")]
    [InlineData("bytecode-file /nonexistent", "Cannot fopen: No such file or directory\nUnable to parse bpf command line")]
    [InlineData("obj /nonexistent.o", "Cannot initialize ELF context!\nUnable to load program")]
    [InlineData("classid xyz", "Illegal \"classid\"")]
    public void Errors_read_as_tc_prints_them(string words, string message)
    {
        TcException e = Assert.Throws<TcException>(() => Parse(words));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void A_missing_section_is_named()
    {
        TcException e = Assert.Throws<TcException>(() => Parse($"obj {BpfFixtures.Object("cls")} sec nosec"));
        Assert.Equal("object file doesn't contain sec nosec\nUnable to load program", e.Message);
    }

    [Fact]
    public void A_word_after_the_program_is_an_error_with_the_usage()
    {
        TcException e = Assert.Throws<TcException>(() => Parse($"obj {BpfFixtures.Object("cls")} sec classify foo"));
        Assert.StartsWith("What is \"foo\"?\nUsage: ... bpf ...\n", e.Message);
        Assert.EndsWith("NOTE: CLASSID is parsed as hexadecimal input.", e.Message);
    }

    [Fact]
    public void The_default_section_is_classifier()
    {
        var r = Parse($"obj {BpfFixtures.Object("parser")} da");
        var spec = (BpfSpec)r.Options!;
        Assert.Equal("parser.o:[classifier]", spec.Name);
        Assert.True(spec.DirectAction);
        Assert.Equal("parse", spec.Program!.Name);
    }

    [Fact]
    public void Only_da_and_no_program_goes_to_the_kernel_which_refuses_it()
    {
        var r = Parse("da");
        var tp = new BpfClassifier(1, EtherTypes.All) { Namespace = new FilterNamespace(_devices) };
        TcException e = Assert.Throws<TcException>(() => tp.Change(new FilterChange { Options = r.Options }));
        Assert.Equal("RTNETLINK answers: Invalid argument", e.Message);
    }
}
