"""The two forwarding paths compared in ns fwd, each with the same tc batch (the qdisc on f1, gen -> sink):
ours, `forwarder bridge f0 f1 --tc FILE`, and the kernel's, a tc mirred redirect f0 <-> f1 (or a Linux bridge)
with the qdisc set by iproute2's tc."""
import json
import os
import tempfile

from . import control, shell


class Unsupported(RuntimeError):
    """The path cannot run this configuration (e.g. this machine's kernel has no sch_netem)."""


class OursPath:
    name = "ours"

    def __init__(self, forwarder, run_dir, extra_args=(), wrapper=(), name="ours"):
        self.name = name
        self.forwarder = forwarder
        self.wrapper = list(wrapper)
        self.run_dir = run_dir
        self.extra_args = list(extra_args)
        self._proc = None
        self._batch = None
        self.instance = None

    def start(self, lab, tc_lines):
        self.instance = f"{lab.prefix}{self.name}".replace("-", "_")
        args = [*self.wrapper, self.forwarder, "bridge", "f0", "f1", "--stats-interval", "0", "--name", self.instance, *self.extra_args]
        if tc_lines:
            self._batch = _batch_file(tc_lines)
            args += ["--tc", self._batch]
        env = dict(os.environ, FORWARDER_RUN_DIR=self.run_dir)
        self._proc = shell.Background(shell.in_ns(lab.fwd, *args), env=env)
        if not self._proc.wait_for("forwarder: bridging", timeout=90):
            out = self._proc.output()
            self.stop()
            raise shell.CommandError(f"our forwarder did not start:\n{out}")

    def tc(self, *argv):
        return control.tc(os.path.join(self.run_dir, self.instance + ".sock"), argv)

    def qdisc_stats(self):
        """The root qdisc of f1 as tc -s -j prints it (bytes, packets, drops, overlimits, ...)."""
        status, out, err = self.tc("-s", "-j", "qdisc", "show", "dev", "f1")
        if status != 0:
            raise shell.CommandError(f"tc -s -j qdisc show dev f1: {err}")
        return _root(json.loads(out))

    def show(self):
        return self.tc("-s", "qdisc", "show", "dev", "f1")[1]

    def stop(self):
        """Stops the instance (SIGINT, as Ctrl-C) and returns what it printed, its final totals included."""
        out = ""
        if self._proc is not None:
            self._proc.stop()
            out = self._proc.output()
            self._proc.close()
            self._proc = None
        if self._batch:
            os.unlink(self._batch)
            self._batch = None
        return out


class KernelPath:
    name = "kernel"

    def __init__(self, mode="mirror"):
        self.mode = mode
        self._lab = None

    def start(self, lab, tc_lines):
        self._lab = lab
        fwd = lab.fwd
        if self.mode == "bridge":
            shell.run(["ip", "-n", fwd, "link", "add", "br0", "type", "bridge"])
            for dev in ("f0", "f1"):
                shell.run(["ip", "-n", fwd, "link", "set", dev, "master", "br0"])
            shell.run(["ip", "-n", fwd, "link", "set", "br0", "up"])
        else:
            # fwd-bench.sh's kernel baseline, both ways: every frame received on one port leaves by the other.
            # "mirror" sends a clone (skb_clone() leaves the clone without a socket); the original goes up f0's stack,
            # which drops it at once (addressed to another host);
            # "mirred" redirects the skb itself, which still belongs to the sender's socket (see README.md).
            how = ["mirror", "dev", "DST"] if self.mode == "mirror" else ["redirect", "dev", "DST"]
            for src, dst in (("f0", "f1"), ("f1", "f0")):
                shell.run(shell.in_ns(fwd, "tc", "qdisc", "add", "dev", src, "handle", "ffff:", "ingress"))
                shell.run(shell.in_ns(fwd, "tc", "filter", "add", "dev", src, "parent", "ffff:", "protocol", "all",
                                      "u32", "match", "u32", "0", "0", "action", "mirred", "egress",
                                      *[dst if w == "DST" else w for w in how]))
        if tc_lines:
            batch = _batch_file(tc_lines)
            try:
                status, out, err = shell.run(shell.in_ns(fwd, "tc", "-b", batch), check=False)
            finally:
                os.unlink(batch)
            if status != 0:
                text = (err or out).strip()
                if "qdisc kind is unknown" in text:
                    line = next((x for x in text.splitlines() if x.startswith("Error")), text)
                    raise Unsupported(f"kernel {os.uname().release} lacks the qdisc ({line})")
                raise shell.CommandError(f"tc -b: {text}")

    def qdisc_stats(self):
        _, out, _ = shell.run(shell.in_ns(self._lab.fwd, "tc", "-s", "-j", "qdisc", "show", "dev", "f1"), timeout=10)
        return _root(json.loads(out))

    def show(self):
        return shell.run(shell.in_ns(self._lab.fwd, "tc", "-s", "qdisc", "show", "dev", "f1"), check=False)[1]

    def stop(self):
        return self.show() if self._lab else ""


def _root(qdiscs):
    for q in qdiscs:
        if q.get("root"):
            return q
    raise shell.CommandError(f"no root qdisc in {qdiscs}")


def _batch_file(lines):
    f = tempfile.NamedTemporaryFile("w", prefix="wire-checks-", suffix=".tc", delete=False)
    f.write("\n".join(lines) + "\n")
    f.close()
    os.chmod(f.name, 0o644)
    return f.name
