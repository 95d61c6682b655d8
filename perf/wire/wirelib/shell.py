"""Running commands: in the root namespace or inside one of the lab's namespaces, to completion or in the background."""
import os
import signal
import subprocess
import tempfile
import time


class CommandError(RuntimeError):
    pass


def run(argv, timeout=60, check=True, env=None):
    """Runs argv to completion; returns (exit status, stdout, stderr)."""
    try:
        p = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired as e:
        raise CommandError(f"{' '.join(argv)}: no answer after {timeout} s") from e
    if check and p.returncode != 0:
        raise CommandError(f"{' '.join(argv)}: exit {p.returncode}: {(p.stderr or p.stdout).strip()}")
    return p.returncode, p.stdout, p.stderr


def in_ns(ns, *argv):
    """The argv that runs a command inside network namespace ns."""
    return ["ip", "netns", "exec", ns, *argv]


class Background:
    """A command running in the background with its output going to a file (no pipe to fill up)."""

    def __init__(self, argv, env=None):
        self.argv = argv
        self._log = tempfile.NamedTemporaryFile(prefix="wire-checks-", suffix=".log", delete=False)
        self.proc = subprocess.Popen(argv, stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     env=env, start_new_session=True)

    def output(self):
        with open(self._log.name, encoding="utf-8", errors="replace") as f:
            return f.read()

    def wait_for(self, text, timeout):
        """Waits until the output contains text; False when the process exits first or time runs out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.output():
                return True
            if self.proc.poll() is not None:
                return text in self.output()
            time.sleep(0.05)
        return False

    def wait(self, timeout):
        """Waits for the exit; kills the process group after timeout. Returns the exit status."""
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return self.proc.wait()

    def stop(self, sig=signal.SIGINT, timeout=15):
        """Sends sig to the process (ip netns exec execs the command, so this is the command itself) and waits."""
        if self.proc.poll() is None:
            try:
                self.proc.send_signal(sig)
            except ProcessLookupError:
                pass
        return self.wait(timeout)

    def kill(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def close(self):
        self.kill()
        self.proc.wait()
        self._log.close()
        os.unlink(self._log.name)
