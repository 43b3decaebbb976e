#!/usr/bin/env python3
"""Summarises a `MAILMERGE_PDF_TRACE=1` timeline (issue 14): where the wall time of a print run goes and
how many core-seconds of the parallel part were left idle.

    bench/pdf-trace-summary.py STDERR_FILE START_EPOCH END_EPOCH JOBS

STDERR_FILE holds the run's standard error (lines `pdf-trace SECONDS WORKER begin|end STEP`);
START/END are the epoch seconds at which the process was started and had ended (bench/pdf-run).
"""
import collections, sys

path, start, end, jobs = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
events = []
for line in open(path, encoding="utf-8", errors="replace"):
    fields = line.split(" ", 3)
    if len(fields) == 4 and fields[0] == "pdf-trace":
        events.append((float(fields[1]), fields[2], fields[3].rstrip("\n")))
if not events:
    print("trace: no pdf-trace lines (MAILMERGE_PDF_TRACE=1 not set?)")
    sys.exit(0)
open_spans, spans = {}, []
for t, worker, what in events:
    if what.startswith("begin "):
        open_spans[(worker, what[6:])] = t
    elif what.startswith("end "):
        key = (worker, what[4:])
        if key in open_spans:
            spans.append((open_spans.pop(key), t, worker, what[4:]))
workers = [s for s in spans if s[2] != "-" and not s[3].startswith("stop")]
first_pdf = events[0][0]
chunk_start = min(s[0] for s in workers) if workers else first_pdf
chunk_end = max(s[1] for s in spans if s[2] != "-") if workers else first_pdf
joins = [s for s in spans if s[2] == "-" and s[3].startswith("join ")]
join_end = max((s[1] for s in joins), default=chunk_end)
kinds = collections.defaultdict(float)
for s in spans:
    kinds[s[3].split(" ")[0] if s[2] != "-" else s[3].split(" ")[0] + " (serial)"] += s[1] - s[0]
# Idle core-seconds between the first chunk's start and the last worker's end: jobs minus busy workers.
points = sorted({chunk_start, chunk_end} | {s[0] for s in workers} | {s[1] for s in workers})
idle = 0.0
per_worker_end = collections.defaultdict(float)
for s in workers:
    per_worker_end[s[2]] = max(per_worker_end[s[2]], s[1])
for a, b in zip(points, points[1:]):
    mid = (a + b) / 2
    busy = len({s[2] for s in workers if s[0] <= mid < s[1]})
    idle += (jobs - min(jobs, busy)) * (b - a)
total = end - start
print("trace: wall %.1f s = before the PDF (merge, print documents) %.1f s + chunks %.1f s + joins %.1f s + after (e-mail PDFs, log) %.1f s"
      % (total, first_pdf - start, chunk_end - first_pdf, join_end - chunk_end, end - join_end))
print("trace: chunk phase idle core-s %.1f of %.1f (%d workers; last worker ends %s s after the first)"
      % (idle, jobs * (chunk_end - chunk_start), jobs,
         "%.1f" % (max(per_worker_end.values()) - min(per_worker_end.values())) if per_worker_end else "-"))
print("trace: core-s idle over the whole run (cores=jobs, serial phases count jobs-1) %.1f"
      % (idle + (jobs - 1) * ((first_pdf - start) + (join_end - chunk_end) + (end - join_end)) + jobs * (chunk_start - first_pdf)))
print("trace: step seconds " + ", ".join("%s %.1f" % (k, v) for k, v in sorted(kinds.items(), key=lambda kv: -kv[1])))
