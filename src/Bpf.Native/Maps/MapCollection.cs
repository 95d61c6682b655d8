using Bpf.Native.Elf;

namespace Bpf.Native.Maps;

/// <summary>
/// The live maps of one object (cilium/ebpf's Collection, maps half): every map of an <see cref="ObjectSpec"/>
/// created, or opened from its pin when it asks to be pinned and a <see cref="MapPinStore"/> is given, with
/// map-in-map slots filled from BTF initialisers. Program slots of prog_arrays (<see cref="MapSpec.InitialValues"/>)
/// are left to whoever loads the programs.
/// </summary>
public sealed class MapCollection : IDisposable
{
    private readonly Dictionary<string, BpfMap> _maps;
    private readonly List<BpfMap> _owned;

    private MapCollection(Dictionary<string, BpfMap> maps, List<BpfMap> owned)
    {
        _maps = maps;
        _owned = owned;
    }

    public IReadOnlyDictionary<string, BpfMap> Maps => _maps;

    public BpfMap this[string name] => _maps[name];

    public static MapCollection Create(ObjectSpec spec, MapPinStore? pins = null, string objectNamespace = "")
    {
        var maps = new Dictionary<string, BpfMap>(StringComparer.Ordinal);
        var owned = new List<BpfMap>();
        try
        {
            foreach (MapSpec map in spec.Maps)
            {
                if (map.Pinning != MapPinning.None && pins is not null)
                {
                    maps[map.Name] = pins.CreateOrOpen(map, objectNamespace);
                }
                else
                {
                    BpfMap created = BpfMapFactory.Create(map);
                    owned.Add(created);
                    maps[map.Name] = created;
                }
            }
            foreach (MapSpec map in spec.Maps)
            {
                if (map.Type is not (BpfMapType.ArrayOfMaps or BpfMapType.HashOfMaps))
                {
                    continue;
                }
                foreach (MapInitialValue slot in map.InitialValues)
                {
                    if (!maps.TryGetValue(slot.TargetName, out BpfMap? inner))
                    {
                        throw new ElfFormatException($"map '{map.Name}' slot {slot.Index} names '{slot.TargetName}', which is not a map");
                    }
                    int result = maps[map.Name] switch
                    {
                        ArrayOfMapsMap array => array.SetInnerMap(slot.Index, inner),
                        HashOfMapsMap hash => hash.SetInnerMap(BitConverter.GetBytes(slot.Index), inner),
                        _ => BpfErrno.Invalid,
                    };
                    if (result != 0)
                    {
                        throw new ElfFormatException(
                            $"map '{map.Name}' slot {slot.Index}: inner map '{slot.TargetName}' does not fit its template ({BpfErrno.Name(result)})");
                    }
                }
            }
            return new MapCollection(maps, owned);
        }
        catch
        {
            foreach (BpfMap map in owned)
            {
                map.Dispose();
            }
            throw;
        }
    }

    /// <summary>Disposes the maps this collection created; pinned maps stay for other users.</summary>
    public void Dispose()
    {
        foreach (BpfMap map in _owned)
        {
            map.Dispose();
        }
    }
}
