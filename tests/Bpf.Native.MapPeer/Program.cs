using Bpf.Native.Maps;

// Usage: Bpf.Native.MapPeer HASH_PIN COMMAND...
//   counter-add KEY N          add 1 to the u64 at KEY, N times, through the program face (pointer + atomic add)
//   write KEY VALUE            userspace update of KEY to VALUE (u64)
//   read KEY                   prints the u64 at KEY, or "missing"
//   churn FIRST COUNT ROUNDS   inserts and deletes keys FIRST..FIRST+COUNT-1, ROUNDS times, checking each insert
//   wait-for KEY VALUE MS      polls until KEY holds VALUE (prints "seen") or MS pass (prints "timeout")
//   ring-consume COUNT MS      (ringbuf pin) consumes u64 records until COUNT arrived or MS pass; prints count and sum
// Commands run in order; every line printed is a result the test reads. Exit code 0 = all commands succeeded.
return MapPeer.Run(args);

internal static unsafe class MapPeer
{
    public static int Run(string[] args)
    {
        using BpfMap map = MapPinStore.Open(args[0]);
        for (int i = 1; i < args.Length;)
        {
            switch (args[i])
            {
                case "counter-add":
                {
                    uint key = uint.Parse(args[i + 1]);
                    int times = int.Parse(args[i + 2]);
                    for (int n = 0; n < times; n++)
                    {
                        ulong* value = (ulong*)map.Lookup((byte*)&key);
                        if (value == null)
                        {
                            Console.WriteLine($"counter {key} missing");
                            return 2;
                        }
                        Interlocked.Increment(ref *value);
                    }
                    Console.WriteLine("added");
                    i += 3;
                    break;
                }
                case "write":
                {
                    uint key = uint.Parse(args[i + 1]);
                    ulong value = ulong.Parse(args[i + 2]);
                    int result = map.UpdateElement(BitConverter.GetBytes(key), BitConverter.GetBytes(value));
                    Console.WriteLine(result == 0 ? "written" : "error " + BpfErrno.Name(result));
                    i += 3;
                    break;
                }
                case "read":
                {
                    uint key = uint.Parse(args[i + 1]);
                    var value = new byte[8];
                    int result = map.LookupElement(BitConverter.GetBytes(key), value);
                    Console.WriteLine(result == 0 ? BitConverter.ToUInt64(value).ToString() : "missing");
                    i += 2;
                    break;
                }
                case "churn":
                {
                    uint first = uint.Parse(args[i + 1]);
                    uint count = uint.Parse(args[i + 2]);
                    int rounds = int.Parse(args[i + 3]);
                    for (int round = 0; round < rounds; round++)
                    {
                        for (uint key = first; key < first + count; key++)
                        {
                            ulong value = key * 3UL;
                            if (map.Update((byte*)&key, (byte*)&value, BpfUpdateFlags.Any) != 0)
                            {
                                Console.WriteLine($"churn insert {key} failed");
                                return 3;
                            }
                            ulong* seen = (ulong*)map.Lookup((byte*)&key);
                            if (seen == null || *seen != value)
                            {
                                Console.WriteLine($"churn lookup {key} failed");
                                return 3;
                            }
                        }
                        for (uint key = first; key < first + count; key++)
                        {
                            if (map.Delete((byte*)&key) != 0)
                            {
                                Console.WriteLine($"churn delete {key} failed");
                                return 3;
                            }
                        }
                    }
                    Console.WriteLine("churned");
                    i += 4;
                    break;
                }
                case "wait-for":
                {
                    uint key = uint.Parse(args[i + 1]);
                    ulong wanted = ulong.Parse(args[i + 2]);
                    long deadline = Environment.TickCount64 + long.Parse(args[i + 3]);
                    var value = new byte[8];
                    bool seen = false;
                    while (!seen && Environment.TickCount64 < deadline)
                    {
                        seen = map.LookupElement(BitConverter.GetBytes(key), value) == 0 && BitConverter.ToUInt64(value) == wanted;
                        if (!seen)
                        {
                            Thread.Sleep(1);
                        }
                    }
                    Console.WriteLine(seen ? "seen" : "timeout");
                    i += 4;
                    break;
                }
                case "ring-consume":
                {
                    int wanted = int.Parse(args[i + 1]);
                    long deadline = Environment.TickCount64 + long.Parse(args[i + 2]);
                    var consumer = new RingBufConsumer((RingBufMap)map);
                    int count = 0;
                    ulong sum = 0;
                    while (count < wanted && Environment.TickCount64 < deadline)
                    {
                        if (consumer.Consume(record => { count++; sum += BitConverter.ToUInt64(record); }) == 0)
                        {
                            Thread.Sleep(1);
                        }
                    }
                    Console.WriteLine($"{count} {sum}");
                    i += 3;
                    break;
                }
                default:
                    Console.WriteLine("unknown command " + args[i]);
                    return 1;
            }
        }
        return 0;
    }
}
