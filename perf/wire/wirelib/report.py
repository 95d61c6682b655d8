"""Tables and verdicts: the exact figures of issue 6 item 8 (+-2%, +-1 ms, 15 ms, 300 ms)."""
import math

from . import checks, stats

RATE_TOLERANCE = 0.02
DELAY_MS, DELAY_TOLERANCE_MS = 50.0, 1.0
FQ_CODEL_MAX_MS, PFIFO_PAST_MS = 15.0, 300.0


def _f(x, fmt="{:.3f}"):
    return "-" if x is None or (isinstance(x, float) and math.isnan(x)) else fmt.format(x)


def _load(r):
    return f"{r['load_before'][0]:.1f}/{r.get('load_after', [math.nan])[0]:.1f}"


def shaper_verdict(r):
    bps = r.get("qdisc_bps")
    if bps is None:
        return None
    return abs(bps / (checks.RATE_MBIT * 1e6) - 1) <= RATE_TOLERANCE


def shaper_table(records):
    lines = ["shaper: iperf3 TCP gen -> sink through rate 10mbit on f1; Mbit/s; the +-2% applies to 'qdisc' (frame bytes",
             "the qdisc sent, qdisc_pkt_len = Ethernet header + IP packet, in the steady window); 'wire' = f1 tx_bytes;",
             "'goodput' = iperf3 receiver; 'as frames' = goodput x 1514/MSS; load = 1-min load average before/after",
             f"{'round':>5} {'case':<9} {'path':<7} {'load':>9} {'goodput':>8} {'as frames':>9} {'wire':>7} {'qdisc':>7} "
             f"{'dev':>7} {'retr':>5}  verdict"]
    for r in records:
        if "unsupported" in r:
            lines.append(f"{r['round']:>5} {r['case']:<9} {r['path']:<7} {'':>9} n/a: {r['unsupported']}")
            continue
        q = r.get("qdisc_bps")
        dev = None if q is None else (q / (checks.RATE_MBIT * 1e6) - 1) * 100
        v = shaper_verdict(r)
        lines.append(f"{r['round']:>5} {r['case']:<9} {r['path']:<7} {_load(r):>9} {_f(r['goodput_bps'] / 1e6):>8} "
                     f"{_f(r['goodput_as_frames_bps'] / 1e6):>9} {_f(_div(r.get('tx_bps'), 1e6)):>7} {_f(_div(q, 1e6)):>7} "
                     f"{_f(dev, '{:+.2f}%'):>7} {r.get('retransmits', '-')!s:>5}  {_word(v)}")
    lines += _summary(records, lambda r: r.get("qdisc_bps"), lambda x: f"{x / 1e6:.3f}", shaper_verdict, "qdisc Mbit/s")
    return "\n".join(lines)


def netem_table(records):
    lines = ["netem: ping gen -> sink (-i 0.01) through `netem delay 50ms` on f1 minus the same path without it (ms);",
             "the +-1 ms applies to the median; the mean is shown with its own mark",
             f"{'round':>5} {'path':<7} {'load':>9} {'n':>4} {'base p50':>8} {'base mean':>9} {'netem p50':>9} "
             f"{'netem mean':>10} {'netem min':>9} {'added p50':>9} {'added mean':>10}  verdict (p50, mean)"]
    by_round = {}
    for r in records:
        by_round.setdefault((r["round"], r["path"]), {})[r["case"]] = r
    for (rnd, path), pair in sorted(by_round.items()):
        base, net = pair.get("baseline"), pair.get("netem")
        if net is not None and "unsupported" in net:
            lines.append(f"{rnd:>5} {path:<7} {'':>9} netem n/a: {net['unsupported']}; baseline p50 "
                         f"{_f(stats.median(base['rtts']) if base else None)} ms")
            continue
        if base is None or net is None:
            continue
        b50, bm = stats.median(base["rtts"]), stats.mean(base["rtts"])
        n50, nm = stats.median(net["rtts"]), stats.mean(net["rtts"])
        a50, am = n50 - b50, nm - bm
        lines.append(f"{rnd:>5} {path:<7} {_load(net):>9} {len(net['rtts']):>4} {_f(b50):>8} {_f(bm):>9} {_f(n50):>9} "
                     f"{_f(nm):>10} {_f(min(net['rtts'], default=None)):>9} {_f(a50):>9} {_f(am):>10}  "
                     f"{_word(_near(a50))}, {_word(_near(am))}")
    return "\n".join(lines)


def _near(added):
    return None if math.isnan(added) else abs(added - DELAY_MS) <= DELAY_TOLERANCE_MS


def bloat_verdict(r):
    if "unsupported" in r or not r.get("rtts"):
        return None
    if r["case"] == "fq_codel":
        return max(r["rtts"]) < FQ_CODEL_MAX_MS
    return stats.median(r["rtts"]) > PFIFO_PAST_MS


def bloat_table(records):
    lines = ["bloat: iperf3 UDP 40 Mbit/s (1400-byte datagrams) through `htb rate 20mbit` + leaf on f1, ping -i 0.01 beside it;",
             "ms; fq_codel passes when the max is under 15 ms, pfifo when the median is past 300 ms; 'offered' = f0 rx,",
             "'htb' = what the htb root sent, Mbit/s over the ping's window; 'secs' = how long the pings took",
             f"{'round':>5} {'leaf':<8} {'path':<7} {'load':>9} {'pings':>5} {'lost':>5} {'secs':>5} {'p50':>8} {'p99':>8} "
             f"{'max':>8} {'offered':>7} {'htb':>7}  verdict"]
    for r in records:
        if "unsupported" in r:
            lines.append(f"{r['round']:>5} {r['case']:<8} {r['path']:<7} {'':>9} n/a: {r['unsupported']}")
            continue
        t = r["rtts"]
        lines.append(f"{r['round']:>5} {r['case']:<8} {r['path']:<7} {_load(r):>9} {r['sent']:>5} {r['lost']:>5} "
                     f"{_f(r.get('ping_seconds'), '{:.1f}'):>5} {_f(stats.median(t)):>8} {_f(stats.percentile(t, 0.99)):>8} "
                     f"{_f(max(t, default=None)):>8} {_f(_div(r.get('offered_bps'), 1e6)):>7} "
                     f"{_f(_div(r.get('qdisc_bps'), 1e6)):>7}  {_word(bloat_verdict(r))}")
    return "\n".join(lines)


def _summary(records, value, fmt, verdict, what):
    groups = {}
    for r in records:
        if "unsupported" not in r and value(r) is not None:
            groups.setdefault((r["case"], r["path"]), []).append(r)
    out = [f"summary ({what}): case path: mean [min .. max] over rounds, passes"]
    for (case, path), rs in groups.items():
        xs = [value(r) for r in rs]
        ok = sum(1 for r in rs if verdict(r))
        out.append(f"  {case:<9} {path:<7} {fmt(stats.mean(xs))} [{fmt(min(xs))} .. {fmt(max(xs))}]  {ok}/{len(rs)} pass")
    return out


def _div(x, d):
    return None if x is None else x / d


def _word(v):
    return "n/a" if v is None else ("ok" if v else "FAIL")
