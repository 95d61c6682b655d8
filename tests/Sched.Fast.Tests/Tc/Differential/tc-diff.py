#!/usr/bin/env python3
"""The differential campaign against the kernel's tc: NAME.cases (made by gen.py) and NAME.expected (the oracle's).

  tc-diff.py regen NAME [CHUNK]   run NAME.cases on the kernel oracle, CHUNK cases per VM boot (default all),
                                  and rewrite NAME.expected

In the VM every case starts with t0/t1 (veth) and d0 (dummy) created anew and the standalone gact and mirred
actions flushed. NAME.expected holds, per case, "=== NAME", then per command "$ tc WORDS", its output (stderr and
stdout as 2>&1 interleaves them) and "[rc=N]". TcDifferentialTests replays every case through the offline engine
and compares after the normalisations documented there (README.md)."""
import os, shlex, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ORACLE = '/work/shared/oracle/kernel-tc'
RESET = ['/sbin/ip link del t0 >/dev/null 2>&1; /sbin/ip link del d0 >/dev/null 2>&1',
         '/sbin/ip link add t0 type veth peer name t1; /sbin/ip link add d0 type dummy',
         '/sbin/tc actions flush action gact >/dev/null 2>&1; /sbin/tc actions flush action mirred >/dev/null 2>&1']


def parse_cases(path):
    cases = []
    for line in open(path):
        line = line.rstrip('\n')
        if line.startswith('=== '):
            cases.append((line[4:], []))
        elif line.startswith('$ '):
            cases[-1][1].append(line[2:])
    return cases


def script(cases):
    lines = []
    for name, cmds in cases:
        lines += RESET
        lines.append(f'echo {shlex.quote("=== " + name)}')
        for c in cmds:
            lines.append(f'echo {shlex.quote("$ tc " + c)}; /sbin/tc {c} 2>&1; echo "[rc=$?]"')
    return '\n'.join(lines) + '\n'


def main():
    if len(sys.argv) < 3 or sys.argv[1] != 'regen':
        print(__doc__)
        return 2
    name = sys.argv[2]
    cases = parse_cases(os.path.join(HERE, name + '.cases'))
    chunk = int(sys.argv[3]) if len(sys.argv) > 3 else len(cases)
    out = ''
    for i in range(0, len(cases), chunk):
        part = cases[i:i + chunk]
        with tempfile.NamedTemporaryFile('w', suffix='.sh', delete=False) as f:
            f.write(script(part))
            path = f.name
        # A shell syntax error would end the VM's init (a kernel panic, the whole boot lost): check first.
        subprocess.run(['sh', '-n', path], check=True)
        got = subprocess.run(['flock', '/tmp/kernel-tc.lock', ORACLE, '--shell-lines', path],
                             capture_output=True, text=True, check=True).stdout
        os.unlink(path)
        want = sum(len(c) for _, c in part)
        if 'the VM did not finish' in got or got.count('[rc=') != want:
            print(got[-3000:])
            print(f'chunk {i}: {got.count("[rc=")} of {want} commands answered')
            return 1
        out += got
        print(f'chunk {i}: {len(part)} cases', flush=True)
    open(os.path.join(HERE, name + '.expected'), 'w').write(out)
    print(f'{name}: {len(cases)} cases written')
    return 0


if __name__ == '__main__':
    sys.exit(main())
