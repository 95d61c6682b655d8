#!/usr/bin/env python3
"""Malformed tc commands (malformed.txt) and what tc prints for them (malformed.expected).

  tc-malformed.py regen    run every case on the kernel oracle (one VM boot) and rewrite malformed.expected

Each case: "+ WORDS" setup lines, then "$ WORDS", the command under test. In the VM every case starts with t0/t1 and d0
created anew. malformed.expected holds, per case, "$ tc WORDS", the output (stderr and stdout as
2>&1 interleaves them) and "[rc=N]". The unit test TcMalformedCommandTests replays the cases offline."""
import os, re, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ORACLE = '/work/shared/oracle/kernel-tc'


def parse_cases(path):
    cases, setup = [], []
    for line in open(path):
        line = line.rstrip('\n')
        if line.startswith('+ '):
            setup.append(line[2:])
        elif line.startswith('$ '):
            cases.append((setup, line[2:]))
            setup = []
    return cases


def main():
    if len(sys.argv) < 2 or sys.argv[1] != 'regen':
        print(__doc__)
        return 2
    cases = parse_cases(os.path.join(HERE, 'malformed.txt'))
    lines = []
    for setup, cmd in cases:
        # Fresh devices: an ingress queue, once created, outlives its qdisc.
        lines.append('/sbin/ip link del t0 >/dev/null 2>&1; /sbin/ip link del d0 >/dev/null 2>&1')
        lines.append('/sbin/ip link add t0 type veth peer name t1; /sbin/ip link add d0 type dummy')
        for s in setup:
            lines.append(f'/sbin/tc {s} >/dev/null 2>&1')
        lines.append(f"echo '$ tc {cmd}'; /sbin/tc {cmd} 2>&1; echo \"[rc=$?]\"")
    with tempfile.NamedTemporaryFile('w', suffix='.sh', delete=False) as f:
        f.write('\n'.join(lines) + '\n')
        script = f.name
    out = subprocess.run(['flock', '/tmp/kernel-tc.lock', ORACLE, '--shell-lines', script],
                         capture_output=True, text=True, check=True).stdout
    os.unlink(script)
    if 'the VM did not finish' in out or out.count('[rc=') != len(cases):
        print(out)
        return 1
    open(os.path.join(HERE, 'malformed.expected'), 'w').write(out)
    print(f'{len(cases)} cases written')
    return 0


if __name__ == '__main__':
    sys.exit(main())
