#!/usr/bin/env python3
"""CPU seconds of a print run split by process (issue 14): samples /proc every 50 ms for the process tree under
ROOT_PID (bench/pdf-run's GNU time) until it ends, keeping each process's last user + system time and the time of
the children it reaped.

    bench/pdf-cpu-split.py ROOT_PID

Prints `MAILMERGE SOFFICE PYTHON` (seconds): mailmerge is our own process (every thread), soffice.bin the
LibreOffices (their own time plus what they reaped), python3 the UNO drivers without their LibreOffice. bench/pdf-run
gives the rest of its cpu (user + system of the whole tree) as short-lived processes (qpdf, pdfinfo, pdftotext, a
soffice per chunk without python3-uno), which end between two samples. A sample every 50 ms costs about 1 % of a core.
"""
import collections, os, sys, time

root = int(sys.argv[1])
tick = os.sysconf("SC_CLK_TCK")


def read(pid):
    try:
        with open("/proc/%d/stat" % pid, "rb") as f:
            data = f.read().decode("utf-8", "replace")
    except OSError:
        return None
    comm = data[data.index("(") + 1:data.rindex(")")]
    fields = data[data.rindex(")") + 2:].split()
    # fields[0] is state (field 3); utime is field 14, stime 15, cutime 16, cstime 17; ppid field 4.
    return comm, int(fields[1]), (int(fields[11]) + int(fields[12])) / tick, (int(fields[13]) + int(fields[14])) / tick


last = {}  # pid -> (comm, ppid, self seconds, reaped children seconds)
while os.path.exists("/proc/%d" % root):
    children = collections.defaultdict(list)
    stats = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            stat = read(int(name))
            if stat:
                stats[int(name)] = stat
                children[stat[1]].append(int(name))
    todo = [root]
    while todo:
        pid = todo.pop()
        if pid in stats:
            comm, ppid, own, reaped = stats[pid]
            last[pid] = (comm, ppid, own, reaped)
        todo.extend(children.get(pid, []))
    time.sleep(0.05)

by_comm = collections.defaultdict(float)
for pid, (comm, ppid, own, reaped) in last.items():
    if comm == "soffice.bin":
        by_comm["soffice.bin"] += own + reaped
    elif comm.startswith("python"):
        by_comm["python3"] += own
    elif ppid == root:  # mailmerge, whatever its file is called (MAILMERGE=/tmp/other-build)
        by_comm["mailmerge"] += own
print("%.1f %.1f %.1f" % (by_comm["mailmerge"], by_comm["soffice.bin"], by_comm["python3"]))
