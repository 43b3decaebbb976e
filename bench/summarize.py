#!/usr/bin/env python3
"""Print the benchmark's one markdown table from a bench/run results folder.

    bench/summarize.py bench/results/<timestamp>

Reads RESULTS/{disk,tmpfs}/results.csv and correctness.jsonl (written by peerbench's
run_all.sh / report.py), RESULTS/segment/*.time (GNU `time -v` of merge and log-segment),
RESULTS/segment/same-text-*.txt and, when present, RESULTS/store-timing.txt.

docs/s is N / whole-process wall seconds for every tool: peerbench's own `s` for the Python
peers is merge-loop time only, while an external tool's is its whole process, so ours is
compared with the peers' `wall` column (peerbench README). With several reps the median is
shown.
"""
import csv
import json
import os
import re
import statistics
import sys

FILESYSTEMS = ("disk", "tmpfs")
OURS = "mailmerge_swift"
NAMES = {
    "mailmerge_swift": "**mailmerge merge --jobs 1** (ours)",
    "mailmerge_swift_2jobs": "**mailmerge merge --jobs 2** (ours)",
    "mailmerge": "docx-mailmerge",
    "mailmerge2": "docx-mailmerge2",
    "docxtpl": "docxtpl",
    "zipfloor": "zipfloor (floor: stdlib zip rewrite)",
    "zipfloor_raw": "zipfloor_raw (floor: copy raw, deflate changed parts)",
    "copy": "copy (floor: file copy, not a merge)",
}
ORDER = list(NAMES)


def read_csv(path):
    if not os.path.exists(path):
        return []
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def read_jsonl(path):
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def number(text):
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(value, digits=0, suffix=""):
    return "–" if value is None else f"{value:,.{digits}f}{suffix}"


def parse_time_v(path):
    """(wall seconds, peak RSS MB, exit status) from a GNU `time -v` report."""
    with open(path, encoding="utf-8", errors="replace") as fh:
        text = fh.read()
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", text)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    status = re.search(r"Exit status: (\d+)", text)
    seconds = None
    if wall:
        seconds = 0.0
        for part in wall.group(1).split(":"):
            seconds = seconds * 60 + float(part)
    return seconds, int(rss.group(1)) / 1024 if rss else None, int(status.group(1)) if status else None


def peer_rows(results):
    """{(label, procs): {fs: {n, docs_s, wall, rss, verified}}} at each tool's largest N."""
    runs = {}
    for fs in FILESYSTEMS:
        for row in read_csv(os.path.join(results, fs, "results.csv")):
            runs.setdefault((row["label"], int(row["procs"] or 1)), {}).setdefault(fs, []).append(row)
    table = {}
    for key, by_fs in runs.items():
        for fs, rows in by_fs.items():
            n = max(int(r["n"]) for r in rows)
            rows = [r for r in rows if int(r["n"]) == n]
            walls = [number(r["proc_wall_s"]) for r in rows]
            verified = [r["verify_ok"] for r in rows if r["verify_ok"] not in ("", None)]
            wall = median(walls)
            table.setdefault(key, {})[fs] = {
                "n": n, "wall": wall, "docs_s": n / wall if wall else None,
                "rss": max((number(r["rss_mb"]) or 0 for r in rows), default=None),
                "verified": verified, "version": rows[0].get("version") or "", "reps": len(rows)}
    return table


def correctness(results):
    """{label: 'all N ok' | 'N checked, k failures'} from peerbench's every-output check."""
    found = {}
    for fs in FILESYSTEMS:
        for rec in read_jsonl(os.path.join(results, fs, "correctness.jsonl")):
            verify = rec.get("verify", {})
            if verify.get("ok"):
                found.setdefault(rec["label"], f"all {rec.get('n')} ok")
            else:
                bad = sum((verify.get("failed_counts") or {}).values())
                found[rec["label"]] = f"{rec.get('n')} checked, {bad} failures"
    return found


def check_text(label, data, corr):
    parts = []
    if label in corr:
        parts.append(corr[label])
    verified = [v for fs in data.values() for v in fs["verified"]]
    if verified:
        parts.append("samples ok" if all(v == "True" for v in verified) else "samples FAIL")
    return "; ".join(parts) or "n/a (not a merge)"


def segment_rows(results):
    """Rows for log-segment vs merge, one pair per N, and the store timing."""
    folder = os.path.join(results, "segment")
    timings = {}
    if os.path.isdir(folder):
        for name in os.listdir(folder):
            match = re.fullmatch(r"(merge|log-segment)-(\d+)-(\d+)\.time", name)
            if match:
                timings.setdefault(int(match.group(2)), {}).setdefault(match.group(1), []).append(
                    parse_time_v(os.path.join(folder, name)))
    rows = []
    for n in sorted(timings):
        merge, logseg = timings[n].get("merge", []), timings[n].get("log-segment", [])
        m_wall = median(t[0] for t in merge if t[2] == 0)
        l_wall = median(t[0] for t in logseg if t[2] == 0)
        m_rss = max((t[1] for t in merge if t[1]), default=None)
        l_rss = max((t[1] for t in logseg if t[1]), default=None)
        same = os.path.join(folder, f"same-text-{n}.txt")
        same_text = "same text, first + last letter" if os.path.exists(same) and \
            sum(1 for line in open(same, encoding="utf-8") if line.startswith("same text")) >= 2 else "not checked"
        failed = sum(1 for t in merge + logseg if t[2] != 0)
        if failed:
            same_text = f"{failed} run(s) FAILED"
        ratio = l_wall / m_wall if m_wall and l_wall else None
        extra = None if ratio is None else l_wall - m_wall
        rows.append(f"| mailmerge merge (the segment's letters from merge-data.csv, tmpfs) | {n:,} | | "
                    f"{fmt(n / m_wall if m_wall else None)} | {fmt(m_wall, 2)} | {fmt(m_rss)} | 1.00 (basis) | {same_text} |")
        rows.append(f"| mailmerge log-segment (letters + manifest + log, tmpfs) | {n:,} | | "
                    f"{fmt(n / l_wall if l_wall else None)} | {fmt(l_wall, 2)} | {fmt(l_rss)} | "
                    f"{fmt(ratio, 2, '× merge')} (target ≤ 1.30); log-segment − merge = {fmt(extra, 2, ' s')} | {same_text} |")
    store = os.path.join(results, "store-timing.txt")
    if os.path.exists(store):
        with open(store, encoding="utf-8", errors="replace") as fh:
            match = re.search(r"logging ([\d,]+) interaction log entries took ([\d.e-]+) seconds", fh.read())
        if match:
            rows.append(f"| SQLiteInteractionLogStore.log alone (InteractionLogTests, debug build) | "
                        f"{match.group(1)} | | | {float(match.group(2)):.2f} | | | |")
    return rows


def main(argv):
    if len(argv) != 2 or not os.path.isdir(argv[1]):
        sys.exit("usage: bench/summarize.py RESULTS_DIR   (a bench/results/<timestamp> folder)")
    results = argv[1]
    peers = peer_rows(results)
    corr = correctness(results)
    ours = {fs: peers.get((OURS, 1), {}).get(fs, {}).get("docs_s") for fs in FILESYSTEMS}

    caption = ""
    run_txt = os.path.join(results, "run.txt")
    if os.path.exists(run_txt):
        with open(run_txt, encoding="utf-8") as fh:
            caption = " · ".join(" ".join(line.split()) for line in fh if line.strip())
    print(f"Benchmark {os.path.basename(os.path.normpath(results))} ({caption})")
    print()
    print("| tool | N | docs/s disk (N ÷ whole-process wall, peers too) | docs/s tmpfs (same) | "
          "wall s (disk / tmpfs; median of reps) | peak RSS MB | ours (`mailmerge_swift`) ÷ tool, disk / tmpfs | checks |")
    print("|---|---:|---:|---:|---:|---:|---|---|")

    def key(item):
        (label, procs), _ = item
        return (ORDER.index(label) if label in ORDER else len(ORDER), label, procs)

    for (label, procs), data in sorted(peers.items(), key=key):
        name = NAMES.get(label, label)
        version = next(iter(data.values()))["version"]
        if version.split(" ")[0] == name.split(" ")[0]:      # "docx-mailmerge 0.5.0"
            name = version + name[len(name.split(" ")[0]):]
        if procs > 1:
            name += f", {procs} processes"
        n = max(d["n"] for d in data.values())
        docs = {fs: data.get(fs, {}).get("docs_s") for fs in FILESYSTEMS}
        walls = " / ".join(fmt(data.get(fs, {}).get("wall"), 2) for fs in FILESYSTEMS)
        rss = max((d["rss"] for d in data.values() if d["rss"] is not None), default=None)
        ratio = " / ".join(fmt(ours[fs] / docs[fs], 2, "×") if ours[fs] and docs[fs] else "–" for fs in FILESYSTEMS)
        print(f"| {name} | {n:,} | {fmt(docs['disk'])} | {fmt(docs['tmpfs'])} | {walls} | {fmt(rss)} | {ratio} | "
              f"{check_text(label, data, corr)} |")
    for row in segment_rows(results):
        print(row)


if __name__ == "__main__":
    main(sys.argv)
