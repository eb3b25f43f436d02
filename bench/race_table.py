#!/usr/bin/env python3
"""The race table: every variant of one CompileScope run (C++ and Python, measured side by side in one sweep) as
Markdown on stdout.

Per cell and phase: each variant's median, then the fastest C++ variant against the fastest torch.compile mode.
Then, per variant and phase, the geometric mean over the cells of its speedup over C++ eager and over Python eager
(ratios of medians). A ratio whose two interquartile ranges overlap is marked "~": on a shared machine it is not a
result.

    python3 bench/race_table.py run.json --command "bench/race.sh cpu" > docs/results/cpu-race.md
"""
import argparse
import json
import math

PHASES = ["forward", "backward", "forward_backward", "train_step"]
PHASE_NAMES = {"forward": "Forward", "backward": "Backward", "forward_backward": "Forward+Backward",
               "train_step": "Train step"}
PYTHON = ["py-eager", "torch-compile", "torch-compile-ro"]
COMPILE = ["torch-compile", "torch-compile-ro"]


def ok(m):
    return m and m["status"] == "ok" and m["stats"]["n"] > 0


def median(m):
    return m["stats"]["median_ms"]


def ratio(base, other):
    """base / other on medians, with "~" where the interquartile ranges overlap."""
    if not (ok(base) and ok(other)):
        return None, ""
    b, o = base["stats"], other["stats"]
    overlap = b["q1_ms"] <= o["q3_ms"] and o["q1_ms"] <= b["q3_ms"]
    return b["median_ms"] / o["median_ms"], "~" if overlap else ""


def fmt_ms(value):
    return f"{value:.3f}" if value < 10 else f"{value:.1f}" if value < 1000 else f"{value:.0f}"


def fmt_ratio(value, mark=""):
    return "n/a" if value is None else f"{mark}{value:.2f}x"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("run")
    parser.add_argument("--command", default="", help="the command that made the run, for the header")
    args = parser.parse_args()
    with open(args.run) as f:
        run = json.load(f)
    env, config = run["environment"], run["config"]
    variants = config["variants"]
    cpp = [v for v in variants if v not in PYTHON]
    compiled = [v for v in variants if v in COMPILE]
    table = {}
    for m in run["measurements"]:
        c = m["cell"]
        table.setdefault((c["workload"], c["d_model"], c["seq_len"], m["phase"]), {})[m["variant"]] = m

    device = env["gpu_name"] if config["device"] == "cuda" else env["cpu_model"]
    out = [f"# Race: C++ variants against Python eager and torch.compile on {device or config['device']}\n"]
    if args.command:
        out.append(f"Command: `{args.command}`\n")
    out.append(f"- Machine: {env['cpu_model']} ({env['cpu_cores']} logical CPUs), {env['os']}; "
               f"device {config['device']}" + (f" ({env['gpu_name']})" if config["device"] == "cuda" else ""))
    out.append(f"- LibTorch {env['libtorch_version']}; Python variants: {env.get('python', '')} "
               f"(torch {env.get('python_torch_version', '')}), train-step AdamW {config.get('python_adamw', '')}")
    threads = config["threads"] or f"{env['torch_threads']} (default)"
    out.append(f"- dtype {config['dtype']}, {threads} intra-op threads, allocator {config['allocator']}; "
               f"started {run['started_at']}, {run['wall_time_s']:.0f} s in all")
    out.append("- Every variant ran in one sweep, cell by cell, so the columns of a row were measured minutes "
               "apart at most. Medians in ms. \"~\": the interquartile ranges overlap (noise, not a result).\n")

    headers = ["Workload", "d_model", "seq_len", "Phase"] + variants + ["best C++ / best torch.compile"]
    out.append("| " + " | ".join(headers) + " |")
    out.append("|" + "|".join("---" if i < 4 else "---:" for i in range(len(headers))) + "|")
    for key in sorted(table, key=lambda k: (k[0] != "attention", k[1], k[2], PHASES.index(k[3]))):
        row = table[key]
        cells = [key[0], str(key[1]), str(key[2]), PHASE_NAMES[key[3]]]
        for v in variants:
            m = row.get(v)
            cells.append(fmt_ms(median(m)) if ok(m) else (m["status"] if m else "—"))
        best_cpp = min((row[v] for v in cpp if v != "eager" and ok(row.get(v))), key=median, default=None)
        best_compile = min((row[v] for v in compiled if ok(row.get(v))), key=median, default=None)
        value, mark = ratio(best_compile, best_cpp)
        cells.append(fmt_ratio(value, mark) + (f" ({best_cpp['variant']})" if best_cpp else ""))
        out.append("| " + " | ".join(cells) + " |")

    out.append("\n## Speedups, geometric mean over the cells (ratio of medians)\n")
    out.append("| Variant | Phase | cells | over C++ eager | over py-eager |")
    out.append("|---|---|---:|---:|---:|")
    for v in variants:
        for phase in PHASES:
            over = {"eager": [], "py-eager": []}
            for key, row in table.items():
                if key[3] != phase or not ok(row.get(v)):
                    continue
                for base in over:
                    value, _ = ratio(row.get(base), row[v])
                    if value:
                        over[base].append(value)
            if not over["eager"] and not over["py-eager"]:
                continue
            gm = {b: math.exp(sum(map(math.log, r)) / len(r)) if r else None for b, r in over.items()}
            out.append(f"| {v} | {PHASE_NAMES[phase]} | {max(len(over['eager']), len(over['py-eager']))} | "
                       f"{fmt_ratio(gm['eager'])} | {fmt_ratio(gm['py-eager'])} |")
    print("\n".join(out))


if __name__ == "__main__":
    main()
