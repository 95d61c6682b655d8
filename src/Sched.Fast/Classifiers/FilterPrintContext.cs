using Sched.Fast.Devices;

namespace Sched.Fast.Classifiers;

/// <summary>
/// What a filter printer may consult besides the dump: the filter's protocol (iproute2's global f_proto, used by
/// u32's pretty printer) and the device names (for actions that name devices).
/// </summary>
public sealed record FilterPrintContext(ushort Protocol, DeviceTable Devices);
