"""The three checks of issue 6 item 8, one run each: one path (ours or the kernel's), one configuration, a fresh lab.

- shaper: tbf / htb at rate 10mbit, iperf3 TCP gen -> sink; rate within +-2%.
- netem: ping gen -> sink with and without `netem delay 50ms` on f1; the difference is 50 ms +- 1 ms.
- bloat: UDP at 40 Mbit/s through `htb rate 20mbit` with an fq_codel or `pfifo limit 1000` leaf, ping beside it:
  under 15 ms through fq_codel, past 300 ms through pfifo."""
import time

from . import probes, stats
from .paths import Unsupported

RATE_MBIT = 10
FRAME_BYTES = 1514  # a full-sized TCP segment on the wire as the qdisc counts it (qdisc_pkt_len: MTU + Ethernet header)

SHAPER_CASES = {
    # What a user types; tbf needs a bucket and a limit: 16 KB (12.8 ms at 10 Mbit/s) and 50 ms of queue.
    "tbf": ["qdisc add dev f1 root handle 1: tbf rate 10mbit burst 16kb latency 50ms"],
    # tc's default bursts: rate/HZ + mtu = 1600 bytes, 1.28 ms at 10 Mbit/s.
    "htb": ["qdisc add dev f1 root handle 1: htb default 10",
            "class add dev f1 parent 1: classid 1:10 htb rate 10mbit"],
    # Diagnostic variants: the bucket depth decides how much wake-up lateness a shaper forgives.
    "tbf-1600": ["qdisc add dev f1 root handle 1: tbf rate 10mbit burst 1600 latency 50ms"],
    "htb-15k": ["qdisc add dev f1 root handle 1: htb default 10",
                "class add dev f1 parent 1: classid 1:10 htb rate 10mbit burst 15k cburst 15k"],
}

NETEM_LINES = ["qdisc add dev f1 root handle 1: netem delay 50ms"]

BLOAT_LEAVES = {"fq_codel": "fq_codel", "pfifo": "pfifo limit 1000"}


def bloat_lines(leaf):
    return ["qdisc add dev f1 root handle 1: htb default 10",
            "class add dev f1 parent 1: classid 1:10 htb rate 20mbit",
            f"qdisc add dev f1 parent 1:10 handle 10: {BLOAT_LEAVES[leaf]}"]


def _run(make_lab, path, lines, body):
    """A fresh lab, the path started with lines, body(lab) measured; the path's final statistics attached."""
    record = {"path": path.name, "load_before": stats.load_average()}
    lab = make_lab()
    lab.up()
    try:
        try:
            path.start(lab, lines)
        except Unsupported as e:
            record["unsupported"] = str(e)
            return record
        try:
            probes.warm_up(lab)
            record.update(body(lab))
            record["qdisc_show"] = path.show() if lines else ""
        finally:
            record["path_output"] = path.stop()
    finally:
        lab.down()
    record["load_after"] = stats.load_average()
    return record


def shaper(make_lab, path, case, seconds, omit=2):
    def body(lab):
        server = probes.Iperf3Server(lab)
        try:
            t0 = time.monotonic()
            client = probes.iperf3_client(lab, ["-t", str(seconds), "-O", str(omit)])
            sampler = probes.CounterSampler(lab, path).start()
            result = probes.iperf3_result(client, seconds + omit + 60)
            sampler.stop()
        finally:
            server.close()
        # The steady window: after slow start and the initial bucket, before the sender stops.
        t_from, t_to = t0 + omit + 1, t0 + omit + seconds - 0.5
        end = result["end"]
        mss = result["start"].get("tcp_mss_default") or 1448
        goodput = end["sum_received"]["bits_per_second"]
        return {
            "goodput_bps": goodput,
            "goodput_as_frames_bps": goodput * FRAME_BYTES / mss,
            "mss": mss,
            "tx_bps": probes.CounterSampler.rate_bps(sampler.tx, t_from, t_to),
            "qdisc_bps": probes.CounterSampler.rate_bps(sampler.qdisc, t_from, t_to),
            "retransmits": end["sum_sent"].get("retransmits"),
            "samples": len(sampler.qdisc),
        }
    record = _run(make_lab, path, SHAPER_CASES[case], body)
    record.update(check="shaper", case=case)
    return record


def ping_delay(make_lab, path, netem, count, interval):
    def body(lab):
        r = probes.ping(lab, count, interval)
        return {"sent": r.sent, "rtts": r.rtts, "lost": r.lost}
    record = _run(make_lab, path, NETEM_LINES if netem else [], body)
    record.update(check="netem", case="netem" if netem else "baseline")
    return record


def bloat(make_lab, path, leaf, pings, ping_interval=0.01, udp_mbit=40, settle=3):
    """The load runs until the last ping is answered (ping falls behind its schedule on a busy machine, so the
    load is not given a fixed length), then stops; rates are taken over the ping's own window."""
    def body(lab):
        server = probes.Iperf3Server(lab)
        try:
            client = probes.iperf3_client(lab, ["-u", "-b", f"{udp_mbit}M", "-l", "1400", "-t", "600"])
            sampler = probes.CounterSampler(lab, path).start()
            time.sleep(settle)  # the standing queue builds
            t_from = time.monotonic()
            r = probes.ping(lab, pings, ping_interval, wait_s=3)
            t_to = time.monotonic()
            sampler.stop()
            try:
                result = probes.iperf3_result(client, 10, interrupt=True)
            except Exception:  # the load's own summary is a side figure
                result = {"end": {}}
        finally:
            server.close()
        end = result.get("end", {})
        return {
            "sent": r.sent, "rtts": r.rtts, "lost": r.lost, "ping_seconds": t_to - t_from,
            "udp_lost_percent": (end.get("sum") or {}).get("lost_percent"),
            "offered_bps": probes.CounterSampler.rate_bps(sampler.offered, t_from, t_to),
            "qdisc_bps": probes.CounterSampler.rate_bps(sampler.qdisc, t_from, t_to),
        }
    record = _run(make_lab, path, bloat_lines(leaf), body)
    record.update(check="bloat", case=leaf)
    return record
