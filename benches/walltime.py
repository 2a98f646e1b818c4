#!/usr/bin/env python3
"""Quick A/B wall-clock medians of `examples/profile` jobs, for comparing two
builds of the library between criterion runs (criterion stays the measure
that BENCHMARKS.md quotes).

    cargo build --profile bench --example profile
    cp target/release/examples/profile /tmp/before    # then change, rebuild
    python3 benches/walltime.py /tmp/before target/release/examples/profile

Each job runs seven times; its start-up (the job with a count of 0, the best
of three) is taken off, and the median per decode is printed. JOBS overrides
the jobs: space-separated `job:count[:input]`, e.g. `lazy:300:@items-1000`.
"""
import os
import statistics
import subprocess
import sys
import time

DEFAULT = "lazy:40000 lazy:300:@items-1000 model:20000 envelope:100000"


def run(binary, job, n, arg):
    args = [binary, job, str(n)] + ([arg] if arg else [])
    t = time.perf_counter()
    subprocess.run(args, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t


def main():
    binaries = sys.argv[1:] or ["target/release/examples/profile"]
    jobs = [(j.split(":") + [None])[:3] for j in os.environ.get("JOBS", DEFAULT).split()]
    for binary in binaries:
        print(f"== {binary}")
        for job, n, arg in jobs:
            n = int(n)
            start = min(run(binary, job, 0, arg) for _ in range(3))
            times = sorted(run(binary, job, n, arg) - start for _ in range(7))
            ns = [t / n * 1e9 for t in times]
            print(f"{job} {arg or 'sample'}: median {statistics.median(ns):,.0f} ns"
                  f" (min {ns[0]:,.0f}, max {ns[-1]:,.0f})")


if __name__ == "__main__":
    main()
