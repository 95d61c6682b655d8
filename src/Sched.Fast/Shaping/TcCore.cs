namespace Sched.Fast.Shaping;

/// <summary>
/// iproute2's tc/tc_core.c: how tc turns sizes into psched ticks and back, in floating point with C's truncating
/// conversions, so that what we store and print rounds exactly as tc does. The clock parameters are those of every
/// kernel since 2.6.31 (/proc/net/psched "000003e8 00000040 000f4240 3b9aca00"): tick_in_usec = 1000/64 = 15.625,
/// clock_factor = 1, and get_hz() = 1000000000 (the high-resolution timer), which makes htb's default burst the mtu.
/// </summary>
public static class TcCore
{
    public const double TickInUsec = 1000.0 / 64.0;
    public const double TimeUnitsPerSecond = 1_000_000.0; // TIME_UNITS_PER_SEC
    public const uint Hz = 1_000_000_000;                  // get_hz() with a 1 GHz psched clock resolution
    public const int AtmCellPayload = 48;
    public const int AtmCellSize = 53;

    /// <summary>tc_core_time2tick(): µs -> ticks.</summary>
    public static uint TimeToTicks(uint microseconds) => ToUInt32(microseconds * TickInUsec);

    /// <summary>tc_core_tick2time(): ticks -> µs.</summary>
    public static uint TicksToTime(uint ticks) => ToUInt32(ticks / TickInUsec);

    /// <summary>tc_calc_xmittime(): the ticks needed to send <paramref name="size"/> bytes at <paramref name="rate"/> B/s.</summary>
    public static uint CalcXmitTime(ulong rate, uint size) =>
        TimeToTicks(ToUInt32(TimeUnitsPerSecond * ((double)size / rate)));

    /// <summary>tc_calc_xmitsize(): the bytes sent at <paramref name="rate"/> B/s in <paramref name="ticks"/> ticks.</summary>
    public static uint CalcXmitSize(ulong rate, uint ticks) =>
        ToUInt32((double)rate * TicksToTime(ticks) / TimeUnitsPerSecond);

    /// <summary>tc_adjust_size(): mpu, then the ATM cell alignment.</summary>
    public static uint AdjustSize(uint size, uint mpu, LinkLayer linkLayer)
    {
        if (size < mpu) size = mpu;
        if (linkLayer != LinkLayer.Atm) return size;
        uint cells = size / AtmCellPayload;
        if (size % AtmCellPayload > 0) cells++;
        return cells * AtmCellSize;
    }

    /// <summary>
    /// tc_calc_rtable(): the 256-slot rate table (rtab[len &gt;&gt; cell_log] = xmit ticks) that tc still sends for
    /// old kernels, and the cell_log/cell_align/linklayer it writes into the ratespec. Returns the updated spec.
    /// </summary>
    public static TcRateSpec CalcRateTable(TcRateSpec rate, Span<uint> table, int cellLog, uint mtu, LinkLayer linkLayer)
    {
        if (table.Length < 256) throw new ArgumentException("a rate table has 256 slots", nameof(table));
        if (mtu == 0) mtu = 2047;
        if (cellLog < 0)
        {
            cellLog = 0;
            while ((mtu >> cellLog) > 255) cellLog++;
        }
        for (int i = 0; i < 256; i++)
        {
            uint size = AdjustSize(unchecked((uint)(i + 1) << cellLog), rate.Mpu, linkLayer);
            table[i] = CalcXmitTime(rate.Rate, size);
        }
        return rate with { CellAlign = -1, CellLog = (byte)cellLog, LinkLayer = (LinkLayer)((byte)linkLayer & 0x0F) };
    }

    /// <summary>
    /// C's conversion of a double to unsigned int as gcc does it on x86-64 (through a 64-bit truncation), which is
    /// what tc's arithmetic relies on when a value overflows.
    /// </summary>
    public static uint ToUInt32(double value)
    {
        if (double.IsNaN(value) || value <= -1.0) return 0;
        if (value >= 9.2233720368547758E18) return 0; // cvttsd2si's "integer indefinite", low 32 bits are zero
        return unchecked((uint)(ulong)(long)value);
    }
}
