"""What measures: ping (round-trip times by sequence number), iperf3 (JSON), and a sampler of the byte counters on
f1 (the interface's tx_bytes and the root qdisc's Sent bytes) with sharp time stamps."""
import json
import re
import threading
import time

from . import shell
from .lab import SINK_ADDRESS

_REPLY = re.compile(r"icmp_seq=(\d+) .*time=([0-9.]+) ms")


class PingResult:
    def __init__(self, sent, rtts_by_seq, output):
        self.sent = sent
        self.rtts_by_seq = rtts_by_seq
        self.output = output

    @property
    def rtts(self):
        return [self.rtts_by_seq[k] for k in sorted(self.rtts_by_seq)]

    @property
    def lost(self):
        return self.sent - len(self.rtts_by_seq)


def ping_argv(lab, count, interval, wait_s=2):
    return shell.in_ns(lab.gen, "ping", "-n", "-c", str(count), "-i", str(interval), "-W", str(wait_s), SINK_ADDRESS)


def parse_ping(count, output):
    rtts = {}
    for line in output.splitlines():
        m = _REPLY.search(line)
        if m and "DUP!" not in line:
            rtts.setdefault(int(m.group(1)), float(m.group(2)))
    return PingResult(count, rtts, output)


def ping(lab, count, interval, wait_s=2):
    """count pings gen -> sink, interval seconds apart (below 0.2 s needs root)."""
    timeout = count * interval + 30
    _, out, _ = shell.run(ping_argv(lab, count, interval, wait_s), timeout=timeout, check=False)
    return parse_ping(count, out)


def warm_up(lab, tries=3):
    """ARP resolved and the path proven before measuring: a few pings must come back."""
    for _ in range(tries):
        r = ping(lab, 5, 0.05, wait_s=1)
        if len(r.rtts) >= 3:
            return
    raise shell.CommandError("ping does not cross the path:\n" + r.output)


class Iperf3Server:
    def __init__(self, lab):
        self._proc = shell.Background(shell.in_ns(lab.sink, "iperf3", "-s", "-1", "--forceflush", "-B", SINK_ADDRESS))
        if not self._proc.wait_for("Server listening", timeout=10):
            raise shell.CommandError("iperf3 server did not start: " + self._proc.output())

    def close(self):
        self._proc.stop(timeout=5)
        self._proc.close()


def iperf3_client(lab, args):
    """Starts iperf3 -c SINK ARGS -J in ns gen in the background; returns the Background whose output is the JSON."""
    return shell.Background(shell.in_ns(lab.gen, "iperf3", "-c", SINK_ADDRESS, "-J", *args))


def iperf3_result(client, timeout, interrupt=False):
    """The JSON iperf3 printed: after its own end, or (interrupt) after SIGINT, which still prints the summary."""
    if interrupt:
        client.stop(timeout=timeout)
    else:
        client.wait(timeout)
    text = client.output()
    try:
        return json.loads(text[text.index("{"):])
    except ValueError as e:
        raise shell.CommandError("iperf3 gave no JSON: " + text[-2000:]) from e


class CounterSampler:
    """Samples every period seconds, each value with the midpoint of its call as its time stamp, until stopped:
    f1's tx_bytes (the wire towards sink), the root qdisc's Sent bytes on f1, and f0's rx_bytes (the offered load)."""

    def __init__(self, lab, path, period=1.0):
        self._lab = lab
        self._path = path
        self._period = period
        self._stop = threading.Event()
        self.tx = []  # (t, f1's tx_bytes)
        self.qdisc = []  # (t, the root qdisc's Sent bytes)
        self.offered = []  # (t, f0's rx_bytes)
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._stop.set()
        self._thread.join()

    def _loop(self):
        while not self._stop.is_set():
            t0 = time.monotonic()
            for series, read in ((self.tx, lambda: self._lab.counters("f1")["tx"]["bytes"]),
                                 (self.qdisc, lambda: self._path.qdisc_stats()["bytes"]),
                                 (self.offered, lambda: self._lab.counters("f0")["rx"]["bytes"])):
                try:
                    a = time.monotonic()
                    value = read()
                    series.append(((a + time.monotonic()) / 2, value))
                except Exception:  # a sample lost to a busy moment is not a measurement error
                    pass
            self._stop.wait(max(0.0, self._period - (time.monotonic() - t0)))

    @staticmethod
    def rate_bps(series, t_from, t_to):
        """Bits per second between the first sample at or after t_from and the last at or before t_to."""
        window = [(t, b) for t, b in series if t_from <= t <= t_to]
        if len(window) < 2 or window[-1][0] - window[0][0] < 1:
            return None
        (ta, ba), (tb, bb) = window[0], window[-1]
        return (bb - ba) * 8 / (tb - ta)
