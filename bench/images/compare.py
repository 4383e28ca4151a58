#!/usr/bin/env python3
"""Times two commands side by side: A B A B ... after one warm-up run of
each, and prints the median wall time, CPU time (user + sys) and peak RSS
of each (the operating system's accounting of the finished process, from
wait4), and the median of the pair-by-pair wall ratios A/B.

usage: compare.py RUNS -- COMMAND_A... -- COMMAND_B...
Output: one line "wall_a wall_b cpu_a cpu_b rss_a_mib rss_b_mib ratio".
"""
import os
import statistics
import subprocess
import sys
import time


def measure(command):
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    errors = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"compare.py: {' '.join(command)} failed: {errors.strip()}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0


def main():
    runs = int(sys.argv[1])
    rest = sys.argv[2:]
    assert rest[0] == "--" and rest.count("--") == 2, __doc__
    split = rest.index("--", 1)
    a, b = rest[1:split], rest[split + 1:]
    measure(a)
    measure(b)
    results_a, results_b = [], []
    for _ in range(runs):
        results_a.append(measure(a))
        results_b.append(measure(b))
    ratios = [ra[0] / rb[0] for ra, rb in zip(results_a, results_b)]

    def median(results, i):
        return statistics.median(r[i] for r in results)

    print(f"{median(results_a, 0):.4f} {median(results_b, 0):.4f} {median(results_a, 1):.4f} "
          f"{median(results_b, 1):.4f} {max(r[2] for r in results_a):.1f} {max(r[2] for r in results_b):.1f} "
          f"{statistics.median(ratios):.4f}")


if __name__ == "__main__":
    main()
