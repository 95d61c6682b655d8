using Bpf.Native.Maps;
using Sched.Fast.Classifiers;
using Sched.Fast.Classifiers.Bpf;
using Sched.Fast.Devices;
using Sched.Fast.Packets;
using Sched.Fast.Tc;
using Sched.Fast.Tests.Support;

namespace Sched.Fast.Tests.Classifiers.Bpf;

/// <summary>
/// tc's map pinning: a PIN_GLOBAL_NS map of an object loaded by "filter add ... bpf obj" is the file
/// PIN_ROOT/tc/globals/NAME (PIN_ROOT /run/forwarder/bpf or $TC_BPF_MNT), which a second object shares and which
/// another reader (forwarder bpf map dump, another process) opens and sees updated while programs run.
/// </summary>
public sealed class BpfPinningTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "bpftc-pins-" + Guid.NewGuid().ToString("N"));
    private readonly string _savedRoot = TcBpfSettings.PinDirectory;
    private readonly PacketPool _pool = new(4);

    public BpfPinningTests() => TcBpfSettings.PinDirectory = _root;

    public void Dispose()
    {
        TcBpfSettings.PinDirectory = _savedRoot;
        _pool.Dispose();
        MapPinStore.ForgetProcessPin(Path.Combine(_root, "tc", "globals", "hits"));
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public void A_global_map_is_pinned_under_tc_globals_shared_by_filters_and_read_from_its_file()
    {
        var kind = new BpfKind();
        var devices = new DeviceTable();
        var ns = new FilterNamespace(devices);
        BpfClassifier NewFilter()
        {
            var tp = (BpfClassifier)kind.Create(1, EtherTypes.All, null!, ns);
            tp.Change(new FilterChange { Options = kind.ParseOptions(null, TcArgs.Parse($"obj {BpfFixtures.Object("pinned")}"), devices).Options });
            return tp;
        }
        BpfClassifier first = NewFilter();
        BpfClassifier second = NewFilter();
        string pin = Path.Combine(_root, "tc", "globals", "hits");
        Assert.True(File.Exists(pin));

        ClassifyResult result = default;
        Packet p = TestFrames.Packet(_pool, 64, tos: 0x10);
        first.Classify(p, ref result);
        second.Classify(p, ref result);
        p.Free();

        using BpfMap reader = MapPinStore.Open(pin);
        var value = new byte[8];
        Assert.Equal(0, reader.LookupElement(BitConverter.GetBytes(0x10u), value));
        Assert.Equal(2UL, BitConverter.ToUInt64(value));
    }
}
