namespace Sched.Fast.Tc.Kernel;

/// <summary>
/// A size table (TCA_STAB: struct tc_sizespec and its u16 data): how a root qdisc accounts a packet's length,
/// adding an overhead, a minimum (mpu) and link-layer cell padding (ATM). Built by tc (tc/tc_core.c
/// tc_calc_size_table()); applied by the kernel to every packet entering the root (sch_api.c
/// __qdisc_calculate_pkt_len()).
/// </summary>
public sealed record SizeTableSpec
{
    public const int LinkLayerUnspec = 0;
    public const int LinkLayerEthernet = 1;
    public const int LinkLayerAtm = 2;

    private const int AtmCellPayload = 48;
    private const int AtmCellSize = 53;
    private const int MaxPacketLength = 1 << 20; // QDISC_PKT_LEN_MAX

    public byte CellLog { get; init; }
    public byte SizeLog { get; init; }
    public short CellAlign { get; init; }
    public int Overhead { get; init; }
    public uint LinkLayer { get; init; }
    public uint Mpu { get; init; }
    public uint Mtu { get; init; }
    public uint TableSize { get; init; }

    /// <summary>TCA_STAB_DATA: TableSize slots of (cell-aligned length &gt;&gt; SizeLog).</summary>
    public ushort[] Data { get; init; } = [];

    /// <summary>tc_stab.c check_size_table_opts(): whether tc sends a table at all.</summary>
    public bool IsEffective => LinkLayer >= LinkLayerEthernet || Mpu != 0 || Overhead != 0;

    /// <summary>tc/tc_core.c tc_calc_size_table(): fills cell_log, size_log, the data and the defaults.</summary>
    public SizeTableSpec Calculate()
    {
        if (LinkLayer <= LinkLayerEthernet && Mpu == 0)
        {
            // Only an overhead: no data table needed.
            return this with { Mtu = 0, TableSize = 0, CellLog = 0, CellAlign = 0, Data = [] };
        }
        uint mtu = Mtu == 0 ? 2047u : Mtu;
        uint tsize = TableSize == 0 ? 512u : TableSize;
        byte cellLog = 0;
        while ((mtu >> cellLog) > tsize - 1) cellLog++;
        byte sizeLog = SizeLog;
        var data = new ushort[tsize];
    Again:
        for (int i = (int)tsize - 1; i >= 0; i--)
        {
            uint sz = AdjustSize((uint)(i + 1) << cellLog);
            if ((sz >> sizeLog) > ushort.MaxValue)
            {
                sizeLog++;
                goto Again;
            }
            data[i] = (ushort)(sz >> sizeLog);
        }
        return this with { Mtu = mtu, TableSize = tsize, CellLog = cellLog, SizeLog = sizeLog, CellAlign = -1, Data = data };
    }

    private uint AdjustSize(uint size)
    {
        if (size < Mpu) size = Mpu;
        if (LinkLayer != LinkLayerAtm) return size;
        uint cells = size / AtmCellPayload;
        if (size % AtmCellPayload > 0) cells++;
        return cells * AtmCellSize;
    }

    /// <summary>__qdisc_calculate_pkt_len(): the length a root qdisc with this table accounts for a frame.</summary>
    public int PacketLength(int frameLength)
    {
        int len = frameLength + Overhead;
        if (TableSize != 0)
        {
            int slot = len + CellAlign;
            if (slot < 0) slot = 0;
            slot >>= CellLog;
            len = slot < TableSize
                ? Data[slot]
                : Data[TableSize - 1] * (int)(slot / TableSize) + Data[slot % TableSize];
            len <<= SizeLog;
        }
        return Math.Clamp(len, 1, MaxPacketLength);
    }

    public bool Equals(SizeTableSpec? other) =>
        other is not null && CellLog == other.CellLog && SizeLog == other.SizeLog && CellAlign == other.CellAlign &&
        Overhead == other.Overhead && LinkLayer == other.LinkLayer && Mpu == other.Mpu && Mtu == other.Mtu &&
        TableSize == other.TableSize && Data.AsSpan().SequenceEqual(other.Data);

    public override int GetHashCode() => HashCode.Combine(CellLog, SizeLog, Overhead, LinkLayer, Mpu, Mtu, TableSize);
}
