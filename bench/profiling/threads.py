#!/usr/bin/env python3
"""Per-process and per-thread CPU over an interval: threads.py SECONDS name=pid ... (children of pid included for postgres via pids list)"""
import os, sys, time, re, collections
HZ = os.sysconf('SC_CLK_TCK')
def tasks(pid):
    r = {}
    try:
        for t in os.listdir(f'/proc/{pid}/task'):
            try:
                s = open(f'/proc/{pid}/task/{t}/stat').read()
                comm = s[s.index('(')+1:s.rindex(')')]
                f = s[s.rindex(')')+2:].split()
                r[t] = (comm, int(f[11]) + int(f[12]))
            except Exception: pass
    except Exception: pass
    return r
secs = float(sys.argv[1]); procs = [a.split('=') for a in sys.argv[2:]]
def allpids(spec):
    return [p for p in spec.split(',') if p]
before = {name: {p: tasks(p) for p in allpids(spec)} for name, spec in procs}
t0 = time.time(); time.sleep(secs); dt = time.time() - t0
tot = 0
for name, spec in procs:
    per = collections.Counter()
    for p in allpids(spec):
        a = tasks(p); b = before[name].get(p, {})
        for t, (comm, ticks) in a.items():
            d = ticks - b.get(t, (comm, ticks if t not in b else 0))[1] if t in b else ticks
            if t not in b and p not in before[name]: d = 0
            per[re.sub(r'\d+', 'N', comm)] += d
    cores = sum(per.values()) / HZ / dt; tot += cores
    top = ', '.join(f'{k} {v/HZ/dt*1000:.0f}' for k, v in per.most_common(8) if v)
    print(f'{name:24s} {cores:6.3f} cores  [ms/s: {top}]')
print(f'{"all":24s} {tot:6.3f} cores over {dt:.1f} s')
