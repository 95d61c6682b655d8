#!/usr/bin/env python3
"""Golden files for tc show output: each case is NAME.tc (a tc batch) and NAME.show (tc show commands, one per
line, e.g. "-s -d qdisc show dev t0"). NAME.expected is what the Linux kernel oracle printed for them
(shared/oracle/kernel-tc: Debian's 6.1 kernel with every net/sched module, iproute2 6.1.0), byte for byte.
The unit test TcGoldenTests runs every case through the offline engine and compares.

  tc-golden.py regen [NAME...]   ask the oracle again (10-30 s a case) and rewrite NAME.expected
  tc-golden.py diff [NAME...]    run the offline engine (forwarder tc --offline --transcript) and diff

Regenerating is deliberate, never automatic: review the diff of the .expected files before committing."""
import difflib, glob, os, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '../../../..'))
ORACLE = os.environ.get('KERNEL_TC', os.path.join(ROOT, '../../shared/oracle/kernel-tc'))
if not os.path.exists(ORACLE):
    ORACLE = '/work/shared/oracle/kernel-tc'
FORWARDER = os.path.join(ROOT, 'src/Forwarder/bin/Debug/net10.0/forwarder')


def cases(names):
    all_cases = sorted(os.path.basename(p)[:-3] for p in glob.glob(os.path.join(HERE, '*.tc')))
    return [n for n in all_cases if not names or n in names]


def shows(name):
    path = os.path.join(HERE, name + '.show')
    if not os.path.exists(path):
        return []
    return [l.strip() for l in open(path) if l.strip() and not l.startswith('#')]


def oracle(name):
    cmd = ['flock', '/tmp/kernel-tc.lock', ORACLE, os.path.join(HERE, name + '.tc')] + shows(name)
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def offline(name):
    cmd = [FORWARDER, 'tc', '--offline', '--transcript', os.path.join(HERE, name + '.tc')] + shows(name)
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in ('regen', 'diff'):
        print(__doc__)
        return 2
    failed = 0
    for name in cases(sys.argv[2:]):
        if sys.argv[1] == 'regen':
            out = oracle(name)
            if 'the VM did not finish' in out:
                print(f'{name}: oracle failed\n{out}')
                failed += 1
                continue
            open(os.path.join(HERE, name + '.expected'), 'w').write(out)
            print(f'{name}: written')
        else:
            expected = open(os.path.join(HERE, name + '.expected')).read()
            got = offline(name)
            if got == expected:
                print(f'{name}: same')
            else:
                failed += 1
                print(f'{name}: DIFFERENT')
                sys.stdout.writelines(difflib.unified_diff(expected.splitlines(True), got.splitlines(True),
                                                           'kernel', 'offline'))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
