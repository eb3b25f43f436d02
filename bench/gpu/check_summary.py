#!/usr/bin/env python3
"""The GPU check's verdict (bench/gpu/run.sh check): one summary line, exit status 0 only when it passed.

Reads the build's outcome, ctest's log and the quick race's run JSON. Every measurement of the race must be ok: on a
GPU machine no variant of the seed preset is skipped or unavailable by design, so any other status fails the check
(with the first few named below the line)."""
import argparse
import json
import re
import sys
from collections import Counter


def ctest_counts(log_path):
    """(passed, total) from ctest's closing line, or None when it has none."""
    try:
        text = open(log_path, encoding="utf-8", errors="replace").read()
    except OSError:
        return None
    # ctest names the failures only when there are some: "100% tests passed out of 270" otherwise.
    found = re.findall(r"(\d+)% tests passed(?:, (\d+) tests? failed)? out of (\d+)", text)
    if not found:
        return None
    _, failed, total = found[-1]
    return int(total) - int(failed or 0), int(total)


def race_counts(run_path):
    """(Counter of statuses, list of 'label: message' for measurements that are not ok, device name) or None."""
    try:
        run = json.load(open(run_path, encoding="utf-8"))
    except (OSError, ValueError):
        return None
    statuses = Counter()
    problems = []
    for m in run.get("measurements", []):
        statuses[m["status"]] += 1
        if m["status"] != "ok":
            cell = m["cell"]
            problems.append(f"{cell['workload']} d{cell['d_model']} s{cell['seq_len']} {m['phase']} {m['variant']}: "
                            f"{m['status']}: {m.get('message', '')}")
    return statuses, problems, run.get("environment", {}).get("gpu_name", "")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build", required=True, choices=["ok", "failed"])
    parser.add_argument("--ctest-log", required=True)
    parser.add_argument("--race", required=True, help="the quick race's run JSON")
    parser.add_argument("--label", default="", help="commit, torch and device, for the line")
    parser.add_argument("--seconds", type=int, default=0)
    args = parser.parse_args()

    parts, passed, details = [], args.build == "ok", []
    parts.append("build " + args.build)
    tests = ctest_counts(args.ctest_log) if args.build == "ok" else None
    if tests is None:
        passed = False
        parts.append("ctest did not run to its end")
    else:
        passed = passed and tests[0] == tests[1]
        parts.append(f"ctest {tests[0]}/{tests[1]} passed")
    race = race_counts(args.race) if args.build == "ok" else None
    if race is None:
        passed = False
        parts.append("quick race wrote no run")
    else:
        statuses, problems, gpu = race
        total = sum(statuses.values())
        others = ", ".join(f"{n} {s}" for s, n in sorted(statuses.items()) if s != "ok")
        parts.append(f"quick seed race {statuses['ok']}/{total} ok" + (f" ({others})" if others else ""))
        passed = passed and total > 0 and statuses["ok"] == total
        details += problems[:10]
    verdict = "PASS" if passed else "FAIL"
    print(f"gpu check: {verdict} | {args.label} | " + " | ".join(parts) + f" | {args.seconds} s")
    for line in details:
        print("  " + line)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
