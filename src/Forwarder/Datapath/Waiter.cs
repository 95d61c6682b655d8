using System.Runtime.InteropServices;
using Forwarder.Ports.Native;

namespace Forwarder.Datapath;

/// <summary>
/// Parks a datapath thread in poll(2) on the ports' descriptors and an eventfd that other threads write to wake it
/// (a control command, stop). The descriptor array is pinned native memory, so waiting allocates nothing.
/// </summary>
internal sealed unsafe class Waiter : IDisposable
{
    private LibC.PollFd* _fds;
    private readonly int _capacity;
    private int _count;
    private int _eventFd;

    public Waiter(int capacity)
    {
        _capacity = capacity + 1;
        _fds = (LibC.PollFd*)NativeMemory.AllocZeroed((nuint)(_capacity * sizeof(LibC.PollFd)));
        _eventFd = LibC.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
    }

    /// <summary>Starts a new set of descriptors to wait on; the wake eventfd is always in it at index 0.</summary>
    public void Reset()
    {
        _count = 0;
        if (_eventFd >= 0) Add(_eventFd, LibC.POLLIN);
    }

    /// <summary>Adds a descriptor; returns its slot for <see cref="Revents"/>, or -1.</summary>
    public int Add(int fd, short events)
    {
        if (fd < 0 || _count == _capacity) return -1;
        _fds[_count] = new LibC.PollFd { Fd = fd, Events = events };
        return _count++;
    }

    public short Revents(int slot) => slot < 0 ? (short)0 : _fds[slot].Revents;

    /// <summary>
    /// Sleeps up to <paramref name="timeoutNs"/> or until a descriptor is ready or someone calls <see cref="Wake"/>.
    /// ppoll(2) takes a nanosecond timeout, so a qdisc watchdog a few microseconds away is honoured without spinning.
    /// </summary>
    public void Wait(long timeoutNs)
    {
        LibC.TimeSpec ts = new() { Seconds = timeoutNs / 1_000_000_000, Nanoseconds = timeoutNs % 1_000_000_000 };
        LibC.ppoll(_fds, (nuint)_count, &ts, null);
        if (_eventFd >= 0 && (_fds[0].Revents & LibC.POLLIN) != 0)
        {
            ulong drained;
            LibC.read(_eventFd, &drained, sizeof(ulong));
        }
    }

    /// <summary>Wakes the waiting thread (any thread may call this).</summary>
    public void Wake()
    {
        if (_eventFd < 0) return;
        ulong one = 1;
        LibC.write(_eventFd, &one, sizeof(ulong));
    }

    public void Dispose()
    {
        if (_eventFd >= 0) LibC.close(_eventFd);
        _eventFd = -1;
        NativeMemory.Free(_fds);
        _fds = null;
    }

}
