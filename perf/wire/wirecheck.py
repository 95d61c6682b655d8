#!/usr/bin/env python3
"""The on-the-wire checks of issue 6 item 8, ours and the kernel's side by side, interleaved, in rounds.

  sudo perf/wire/wirecheck.py [--rounds 3] [--offloads on|off] [shaper] [netem] [bloat]    (none named: all three)

Ours is `forwarder bridge f0 f1 --tc FILE` in ns fwd of a fresh `forwarder lab` per run; the kernel's is a tc
mirred redirect f0 <-> f1 (--kernel bridge: a Linux bridge) with the same tc batch run by iproute2's tc. Every run
builds its own lab (namespaces prefixed --prefix) and removes it. Results: a text report on stdout and, with the
raw samples, in --out (default perf/wire/results/). See perf/wire/README.md for what each figure means."""
import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wirelib import checks, report, stats  # noqa: E402
from wirelib.lab import Lab  # noqa: E402
from wirelib.paths import KernelPath, OursPath  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("checks", nargs="*", help="shaper, netem, bloat (default: all three)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--offloads", choices=["on", "off"], default="on")
    ap.add_argument("--forwarder", help="the forwarder binary (default: build ./forwarder's Release copy and use it)")
    ap.add_argument("--kernel", choices=["mirror", "mirred", "bridge"], default="mirror")
    ap.add_argument("--prefix", default="wirechk-")
    ap.add_argument("--seconds", type=int, default=20, help="iperf3 TCP run length of the shaper check")
    ap.add_argument("--bloat-pings", type=int, default=1000, help="pings per bufferbloat run (-i 0.01)")
    ap.add_argument("--pings", type=int, default=200, help="pings per netem run (-i 0.01)")
    ap.add_argument("--shaper-cases", default="tbf,htb", help=f"from {','.join(checks.SHAPER_CASES)}")
    ap.add_argument("--only", choices=["ours", "kernel"], help="run one side only")
    ap.add_argument("--ours-args", default="", help="extra forwarder bridge arguments, e.g. '--io pcap'")
    ap.add_argument("--ours-wrapper", default="", help="a command our forwarder runs under, e.g. 'chrt -f 1'")
    ap.add_argument("--rt", action="store_true",
                    help="also run ours under SCHED_FIFO (chrt -f 1) as a third path 'ours-rt' (diagnosis)")
    ap.add_argument("--label", default="", help="a word for the result file names (e.g. main, datapath)")
    ap.add_argument("--out", default=os.path.join(ROOT, "perf", "wire", "results"))
    a = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("wirecheck: needs root (network namespaces, raw sockets)")
    wanted = a.checks or ["shaper", "netem", "bloat"]
    if set(wanted) - {"shaper", "netem", "bloat"}:
        ap.error("checks are shaper, netem, bloat")
    forwarder = a.forwarder or build_forwarder()
    run_dir = tempfile.mkdtemp(prefix="wire-checks-run-")
    paths = [OursPath(forwarder, run_dir, a.ours_args.split(), a.ours_wrapper.split()), KernelPath(a.kernel)]
    if a.rt:
        paths.insert(1, OursPath(forwarder, run_dir, a.ours_args.split(), ["chrt", "-f", "1"], name="ours-rt"))
    if a.only:
        paths = [p for p in paths if p.name == a.only]
    make_lab = lambda: Lab(forwarder, a.prefix, a.offloads == "on")  # noqa: E731

    header = (f"wirecheck {datetime.datetime.now().isoformat(timespec='seconds')} forwarder={forwarder} "
              f"commit={git_commit(forwarder)} ours-args={a.ours_args!r} ours-wrapper={a.ours_wrapper!r} offloads={a.offloads} kernel-path={a.kernel} "
              f"kernel={os.uname().release} "
              f"rounds={a.rounds} cpus={os.cpu_count()} load={stats.load_average()}")
    print(header, flush=True)
    records = {c: [] for c in wanted}
    try:
        for rnd in range(1, a.rounds + 1):
            # Interleaved: both paths in every round, the order swapped each round.
            order = paths if rnd % 2 else list(reversed(paths))
            if "shaper" in wanted:
                for case in a.shaper_cases.split(","):
                    for path in order:
                        note(records["shaper"], rnd, checks.shaper(make_lab, path, case, a.seconds))
            if "netem" in wanted:
                for path in order:
                    for netem in (False, True):
                        note(records["netem"], rnd, checks.ping_delay(make_lab, path, netem, a.pings, 0.01))
            if "bloat" in wanted:
                for leaf in checks.BLOAT_LEAVES:
                    for path in order:
                        note(records["bloat"], rnd, checks.bloat(make_lab, path, leaf, a.bloat_pings))
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)
        text = [header, ""]
        for c, recs in records.items():
            if recs:
                text += [{"shaper": report.shaper_table, "netem": report.netem_table, "bloat": report.bloat_table}[c](recs), ""]
        print("\n".join(text))
        os.makedirs(a.out, exist_ok=True)
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        base = os.path.join(a.out, f"{stamp}{'-' + a.label if a.label else ''}-offloads-{a.offloads}")
        with open(base + ".txt", "w") as f:
            f.write("\n".join(text))
        with open(base + ".json", "w") as f:
            json.dump({"header": header, "records": records}, f, indent=1)
        print(f"wirecheck: wrote {base}.txt and .json")


def note(records, rnd, record):
    record["round"] = rnd
    records.append(record)
    short = {k: v for k, v in record.items() if k not in ("rtts", "path_output", "qdisc_show")}
    if "rtts" in record:
        r = record["rtts"]
        short["rtt_p50"], short["rtt_max"] = stats.median(r), max(r, default=None)
    print("  " + json.dumps(short, default=str), flush=True)


def build_forwarder():
    """The launcher publishes a Release build into .build/forwarder when the sources changed."""
    subprocess.run([os.path.join(ROOT, "forwarder"), "--version"], check=True, stdout=subprocess.DEVNULL)
    return os.path.join(ROOT, ".build", "forwarder", "forwarder")


def git_commit(forwarder):
    d = os.path.dirname(os.path.abspath(forwarder))
    p = subprocess.run(["git", "-C", d, "log", "-1", "--format=%h"], capture_output=True, text=True)
    return p.stdout.strip() or "?"


if __name__ == "__main__":
    main()
