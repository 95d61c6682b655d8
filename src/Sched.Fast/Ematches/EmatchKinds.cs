using Sched.Fast.Ematches.Cmp;
using Sched.Fast.Ematches.Meta;
using Sched.Fast.Ematches.Nbyte;
using Sched.Fast.Ematches.U32;

namespace Sched.Fast.Ematches;

/// <summary>
/// The ematch kinds, by name and by id (the ids of /etc/iproute2/ematch_map: 1 cmp, 2 nbyte, 3 u32, 4 meta).
/// </summary>
public static class EmatchKinds
{
    private static readonly Dictionary<string, EmatchKind> s_byName = new(StringComparer.Ordinal);
    private static readonly Dictionary<ushort, EmatchKind> s_byId = [];

    static EmatchKinds()
    {
        Register(new CmpKind());
        Register(new NbyteKind());
        Register(new U32EmatchKind());
        Register(new MetaKind());
    }

    public static IEnumerable<EmatchKind> All => s_byName.Values;

    public static EmatchKind? Find(string name) => s_byName.GetValueOrDefault(name);

    public static EmatchKind? Find(ushort id) => s_byId.GetValueOrDefault(id);

    private static void Register(EmatchKind kind)
    {
        s_byName.Add(kind.Name, kind);
        s_byId.Add(kind.Id, kind);
    }
}
