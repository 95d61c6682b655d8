"""The three-namespace lab of `forwarder lab up`: gen [g0 198.18.0.1] -- f0 [fwd] f1 -- [s0 198.18.0.2] sink."""
from . import shell

GEN_ADDRESS = "198.18.0.1"
SINK_ADDRESS = "198.18.0.2"


class Lab:
    """One lab, built with the forwarder's own `lab up` (the same names and addresses as shared/bench/lab.sh)."""

    def __init__(self, forwarder, prefix, offloads):
        self.forwarder = forwarder
        self.prefix = prefix
        self.offloads = offloads
        self.gen, self.fwd, self.sink = prefix + "gen", prefix + "fwd", prefix + "sink"

    def __enter__(self):
        self.up()
        return self

    def __exit__(self, *exc):
        self.down()

    def up(self):
        shell.run([self.forwarder, "lab", "up", "--prefix", self.prefix, "--offloads", "on" if self.offloads else "off"])

    def down(self):
        shell.run([self.forwarder, "lab", "down", "--prefix", self.prefix], check=False)

    def counters(self, dev="f1", ns=None):
        """The interface's 64-bit counters (ip -s -j link): {'rx': {...}, 'tx': {...}}."""
        import json
        _, out, _ = shell.run(["ip", "-n", ns or self.fwd, "-s", "-j", "link", "show", "dev", dev], timeout=10)
        return json.loads(out)[0]["stats64"]
