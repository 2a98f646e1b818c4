#!/usr/bin/env python3
"""Runs the decode benches and prints the comparison table of BENCHMARKS.md.

    python3 benches/table.py            # run the benches, then print
    python3 benches/table.py --no-run   # print from the last run's results

For every fixture and contender: criterion's median time, throughput in
GB/s, and how many times slower than handfoot lazy it is (the ratio).
"""
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CRITERION = os.path.join(ROOT, "target", "criterion")
FIXTURES = ["sample", "items-1000", "urls-1000", "sample-php", "pretty-inner", "10mb",
            "first-url-items-1000", "model-sample"]
BASE = "handfoot-lazy"


def median_ns(group, who):
    path = os.path.join(CRITERION, group, who, "new", "estimates.json")
    with open(path) as f:
        return json.load(f)["median"]["point_estimate"]


def size(group, who):
    path = os.path.join(CRITERION, group, who, "new", "benchmark.json")
    with open(path) as f:
        t = json.load(f).get("throughput") or {}
    return t.get("Bytes")


def fmt_time(ns):
    """Three significant digits in the largest unit that keeps them below
    1000, never in exponent form (`%g` writes 999.6 µs as `1e+03`)."""
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3), ("ns", 1.0)):
        v = ns / scale
        if v >= 0.9995 or unit == "ns":
            digits = 0 if v >= 99.95 else 1 if v >= 9.995 else 2
            return f"{v:.{digits}f} {unit}"


def main():
    if "--no-run" not in sys.argv:
        subprocess.run(["cargo", "bench", "--bench", "decode", "--", "--noplot"],
                       cwd=ROOT, check=True)
    print("| fixture | contender | median | GB/s | × handfoot |")
    print("|---|---|---:|---:|---:|")
    for group in FIXTURES:
        gdir = os.path.join(CRITERION, group)
        if not os.path.isdir(gdir):
            continue
        whos = sorted(w for w in os.listdir(gdir) if w != "report")
        base_name = BASE if os.path.isdir(os.path.join(gdir, BASE)) else "handfoot-model"
        base = median_ns(group, base_name)
        whos.sort(key=lambda w: median_ns(group, w))
        for who in whos:
            t = median_ns(group, who)
            n = size(group, who)
            gbs = f"{n / t:.2f}" if n else ""
            print(f"| {group} | {who} | {fmt_time(t)} | {gbs} | {t / base:.2f} |")


if __name__ == "__main__":
    main()
