using Sched.Fast.Devices;
using Sched.Fast.Packets;
using Sched.Fast.Qdiscs;
using Sched.Fast.Qdiscs.Clsact;
using Sched.Fast.Qdiscs.Ingress;
using Sched.Fast.Tc;
using Sched.Fast.Tc.Commands;
using Sched.Fast.Tc.Kernel;
using Sched.Fast.Tests.Support;
using Sched.Fast.Tests.Tc.Support;
using Sched.Fast.Time;

namespace Sched.Fast.Tests.Tc;

/// <summary>
/// The kernel model (sch_api.c) through tc commands: dump order, grafting under classes, class commands, what
/// happens to queued packets on change, replace and delete, hooks and blocks.
/// </summary>
public sealed class TcKernelTests : IDisposable
{
    private readonly PacketPool _pool = new(1024);
    private readonly TcEngine _tc = TcOffline.Create();

    public TcKernelTests() => TestClassfulKind.EnsureRegistered();

    public void Dispose() => _pool.Dispose();

    private string Tc(string command, int expectedExit = 0)
    {
        TcRunResult r = _tc.Run(TcTokenizer.Split(command));
        Assert.True(expectedExit == r.ExitCode, $"tc {command}: exit {r.ExitCode}: {r.Output.Combined}");
        return r.Output.Combined;
    }

    private NetDevice T0 => _tc.Kernel.Devices.Find("t0")!;

    [Fact]
    public void Qdiscs_under_classes_are_listed_in_the_kernels_hash_order()
    {
        // The tree of shared/oracle probe "hash.tc" (htb there): the kernel listed the leaves in this order.
        Tc("qdisc add dev t0 root handle 1: testful");
        for (int i = 1; i <= 10; i++) Tc($"class add dev t0 parent 1: classid 1:{i:x} testful");
        string[] leaves = ["10:", "20:", "30:", "40:", "", "", "2:", "3:", "11:", "12:"];
        for (int i = 0; i < leaves.Length; i++)
        {
            string handle = leaves[i].Length > 0 ? $"handle {leaves[i]} " : "";
            Tc($"qdisc add dev t0 parent 1:{i + 1:x} {handle}pfifo");
        }

        string[] order = Tc("qdisc show dev t0").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Skip(1).Select(l => l.Split(' ')[2]).ToArray();

        Assert.Equal(["2:", "8001:", "30:", "10:", "12:", "8002:", "3:", "40:", "20:", "11:"], order);
    }

    [Fact]
    public void Default_leaves_are_invisible_unless_asked_for()
    {
        Tc("qdisc add dev t0 root handle 1: testful");
        Tc("class add dev t0 parent 1: classid 1:1 testful weight 3");

        Assert.Equal("qdisc testful 1: root refcnt 2 \n", Tc("qdisc show dev t0"));
        Assert.Equal("qdisc testful 1: root refcnt 2 \nqdisc pfifo 0: parent 1:1 limit 1000p\n",
            Tc("qdisc show dev t0 invisible"));
        Assert.Equal("class testful 1:1 parent 1: weight 3 \n", Tc("class show dev t0"));
    }

    [Fact]
    public void A_grafted_leaf_shows_in_the_class_and_its_deletion_brings_the_default_back()
    {
        Tc("qdisc add dev t0 root handle 1: testful");
        Tc("class add dev t0 parent 1: classid 1:1 testful");
        Tc("qdisc add dev t0 parent 1:1 handle 10: bfifo limit 3000");

        Assert.Equal("class testful 1:1 parent 1: leaf 10: weight 1 \n", Tc("class show dev t0"));
        Tc("qdisc del dev t0 parent 1:1");
        Assert.Equal("class testful 1:1 parent 1: weight 1 \n", Tc("class show dev t0"));
        Assert.Equal("qdisc testful 1: root refcnt 2 \n", Tc("qdisc show dev t0"));
    }

    [Fact]
    public void Class_commands_follow_the_kernels_flags()
    {
        Tc("qdisc add dev t0 root handle 1: testful");
        Tc("class add dev t0 parent 1: classid 1:1 testful weight 2");
        Assert.Equal("RTNETLINK answers: File exists\n", Tc("class add dev t0 parent 1: classid 1:1 testful", 2));
        Tc("class change dev t0 parent 1: classid 1:1 testful weight 5");
        Tc("class replace dev t0 parent 1: classid 1:2 testful weight 6");
        Assert.Equal("RTNETLINK answers: No such file or directory\n",
            Tc("class change dev t0 parent 1: classid 1:3 testful weight 7", 2));
        Assert.Equal("class testful 1:1 parent 1: weight 5 \nclass testful 1:2 parent 1: weight 6 \n",
            Tc("class show dev t0"));
        Tc("class del dev t0 classid 1:1");
        Assert.Equal("RTNETLINK answers: No such file or directory\n", Tc("class del dev t0 classid 1:1", 2));
        // print_class() prints TC_H_MIN() of both ids when filtering on a qdisc: ":2" and "none", as tc does.
        Assert.Equal("class testful :2 parent none weight 6 \n", Tc("class show dev t0 qdisc 1:"));
    }

    [Fact]
    public void Noqueue_cannot_be_a_leaf_and_trees_stop_at_depth_seven()
    {
        Tc("qdisc add dev t0 root handle 1: testful");
        Tc("class add dev t0 parent 1: classid 1:1 testful");
        Assert.Equal("Error: Cannot assign noqueue to a class.\n", Tc("qdisc add dev t0 parent 1:1 noqueue", 2));

        for (int depth = 1; depth <= 7; depth++)
        {
            Tc($"qdisc add dev t0 parent {depth:x}:1 handle {depth + 1:x}: testful");
            Tc($"class add dev t0 parent {depth + 1:x}: classid {depth + 1:x}:1 testful");
        }
        Assert.Equal("Error: Qdisc hierarchy is too deep.\n", Tc("qdisc add dev t0 parent 8:1 handle 9: testful", 2));
    }

    [Fact]
    public void Change_keeps_the_queued_packets_and_replace_frees_them()
    {
        Tc("qdisc add dev t0 root handle 1: pfifo limit 100");
        TimeNs now = TimeNs.Zero;
        for (int i = 0; i < 10; i++) T0.Root!.Enqueue(TestFrames.Packet(_pool, 100), now);
        int free = _pool.Available;

        Tc("qdisc change dev t0 root pfifo limit 5");
        Assert.Equal(10, T0.Root!.QueueLength);
        Assert.Contains("backlog 1000b 10p", Tc("-s qdisc show dev t0"));

        Tc("qdisc replace dev t0 root handle 2: bfifo");
        Assert.Equal(0, T0.Root!.QueueLength);
        Assert.Equal(free + 10, _pool.Available);
    }

    [Fact]
    public void A_replaced_leaf_counts_its_packets_as_drops_of_its_ancestors()
    {
        Tc("qdisc add dev t0 root handle 1: testful");
        Tc("class add dev t0 parent 1: classid 1:1 testful");
        Tc("qdisc add dev t0 parent 1:1 handle 10: pfifo");
        for (int i = 0; i < 4; i++) T0.Root!.Enqueue(TestFrames.Packet(_pool, 200), TimeNs.Zero);

        Tc("qdisc replace dev t0 parent 1:1 handle 20: bfifo");

        Qdisc root = T0.Root!;
        Assert.Equal((0, 0u, 4u), (root.QueueLength, root.BacklogBytes, root.Stats.Drops));
        root.AssertInvariants();
    }

    [Fact]
    public void An_up_device_falls_back_to_its_default_qdisc()
    {
        NetDevice dev = T0;
        dev.IsUp = true;
        dev.DefaultQdiscKind = "pfifo_fast";
        _tc.Kernel.Activate(dev);
        Assert.Equal("qdisc pfifo_fast 0: root refcnt 2 bands 3 priomap 1 2 2 2 1 2 0 0 1 1 1 1 1 1 1 1\n",
            Tc("qdisc show dev t0"));
        Assert.Equal("Error: Cannot delete qdisc with handle of zero.\n", Tc("qdisc del dev t0 root", 2));
        Tc("qdisc add dev t0 root handle 5: pfifo");
        Tc("qdisc del dev t0 root");
        Assert.Equal("qdisc pfifo_fast 0: root refcnt 2 bands 3 priomap 1 2 2 2 1 2 0 0 1 1 1 1 1 1 1 1\n",
            Tc("qdisc show dev t0"));
    }

    [Fact]
    public void Filter_blocks_are_found_as_cls_api_finds_them()
    {
        SchedApi k = _tc.Kernel;
        Assert.Equal("Error: Qdisc not classful.", Assert.Throws<TcException>(() => k.FindFilterBlock(T0, 0)).Message);
        Tc("qdisc add dev t0 root handle 1: testful");
        Tc("class add dev t0 parent 1: classid 1:1 testful");
        Tc("qdisc add dev t0 clsact");

        FilterBlockTarget root = k.FindFilterBlock(T0, 0);
        Assert.Equal((0x0001_0000u, true), (root.Parent, root.Block == ((ClassfulQdisc)T0.Root!).Filters));
        Assert.Equal("Error: Specified class doesn't exist.",
            Assert.Throws<TcException>(() => k.FindFilterBlock(T0, 0x0001_0002)).Message);
        Assert.Equal("Error: Parent Qdisc doesn't exists.",
            Assert.Throws<TcException>(() => k.FindFilterBlock(T0, 0x0009_0000)).Message);

        var clsact = (ClsactQdisc)T0.Ingress!;
        Assert.Same(clsact.IngressBlock, k.FindFilterBlock(T0, 0xFFFF_FFF2).Block);
        Assert.Same(clsact.EgressBlock, k.FindFilterBlock(T0, 0xFFFF_FFF3).Block);
        Assert.Equal("Error: Specified class doesn't exist.",
            Assert.Throws<TcException>(() => k.FindFilterBlock(T0, 0xFFFF_FFF1)).Message);
    }

    [Fact]
    public void Shared_blocks_are_one_block_for_every_qdisc_with_the_index()
    {
        Tc("qdisc add dev t0 ingress_block 7 clsact");
        Tc("qdisc add dev t1 ingress_block 7 ingress");
        var a = (HookQdisc)T0.Ingress!;
        var b = (HookQdisc)_tc.Kernel.Devices.Find("t1")!.Ingress!;

        Assert.Same(a.IngressBlock, b.IngressBlock);
        Assert.Same(a.IngressBlock, _tc.Kernel.FindSharedBlock(7));
        Assert.Equal(["t1", "t0"], _tc.Kernel.SharedBlockDevices(7).Select(d => d.Name));
        Assert.StartsWith("Error: This filter block is shared.",
            Assert.Throws<TcException>(() => _tc.Kernel.FindFilterBlock(T0, 0xFFFF_FFF2)).Message);

        Tc("qdisc del dev t0 clsact");
        Tc("qdisc del dev t1 ingress");
        Assert.Null(_tc.Kernel.FindSharedBlock(7));
    }

    [Fact]
    public void A_size_table_changes_how_the_root_accounts_packets()
    {
        Tc("qdisc add dev t0 root stab overhead 20 linklayer atm pfifo");
        SizeTableSpec stab = _tc.Kernel.RootSizeTable(T0)!;

        // 100 bytes + 20 overhead = 120 bytes = 3 ATM cells of 48 bytes = 159 bytes on the wire.
        Assert.Equal(159, stab.PacketLength(100));
        Tc("qdisc change dev t0 root pfifo limit 10");
        Assert.Null(_tc.Kernel.RootSizeTable(T0));
    }

    [Fact]
    public void Devices_are_not_invented_outside_offline_mode()
    {
        var tc = new TcEngine(new DeviceTable());
        TcRunResult r = tc.Run(TcTokenizer.Split("qdisc add dev eth9 root pfifo"));
        Assert.Equal((1, "Cannot find device \"eth9\"\n"), (r.ExitCode, r.Output.Combined));
        r = tc.Run(TcTokenizer.Split("qdisc show dev eth9"));
        Assert.Equal((1, "Cannot find device \"eth9\"\n"), (r.ExitCode, r.Output.Combined));
    }
}
