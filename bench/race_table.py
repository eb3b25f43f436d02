#!/usr/bin/env python3
"""The race table: every variant of one CompileScope run (C++ and Python, measured side by side in one sweep) as
Markdown on stdout.

Per cell and phase: each variant's median, then the fastest C++ variant against the fastest torch.compile mode.
Then, per variant and phase, the geometric mean over the cells of its speedup over C++ eager and over Python eager
(ratios of medians); the compile latency of aot-inductor (export + Inductor compile, from C++) next to
torch.compile's (its first call); and the issue-10 targets: the best C++ variant at least as fast as the best
torch.compile mode, and aot-inductor's forward within 5 % of torch.compile's above 0.5 ms and faster below.
A ratio whose two interquartile ranges overlap is marked "~": on a shared machine it is not a result.

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
# Column order: each C++ route to Inductor next to the Python mode it matches.
PAIRS = {"aot-inductor": "torch-compile", "cuda-graph+aot-inductor": "torch-compile-ro"}


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
    variants = [v for v in config["variants"] if v not in PAIRS]
    for cpp_variant, python_variant in PAIRS.items():
        if cpp_variant in config["variants"]:
            at = variants.index(python_variant) if python_variant in variants else len(variants)
            variants.insert(at, cpp_variant)
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
    out += compile_latency(table, variants)
    out += targets(table, cpp, compiled)
    print("\n".join(out))


def geomean(values):
    return math.exp(sum(map(math.log, values)) / len(values)) if values else None


def compile_latency(table, variants):
    shown = [v for v in ["aot-inductor", "torch-compile", "cuda-graph+aot-inductor", "torch-compile-ro"]
             if v in variants]
    if not shown:
        return []
    out = ["\n## Compile latency, geometric mean over the cells (s)\n",
           "aot-inductor: torch.export plus Inductor's compile, recorded when the package was made (cached packages "
           "keep that figure). torch.compile: its first call (Dynamo, AOTAutograd, Inductor, one run), cold cache.\n",
           "| Phase | " + " | ".join(shown) + " |", "|---|" + "---:|" * len(shown)]
    for phase in PHASES:
        cells = []
        for v in shown:
            values = [row[v]["compile_ms"] / 1e3 for key, row in table.items()
                      if key[3] == phase and ok(row.get(v)) and row[v].get("compile_ms")]
            cells.append(f"{geomean(values):.1f} ({len(values)})" if values else "—")
        if any(c != "—" for c in cells):
            out.append(f"| {PHASE_NAMES[phase]} | " + " | ".join(cells) + " |")
    return out


def targets(table, cpp, compiled):
    out = ["\n## Targets\n"]
    won = tied = 0
    lost = []
    for key, row in table.items():
        best_cpp = min((row[v] for v in cpp if v != "eager" and ok(row.get(v))), key=median, default=None)
        best_compile = min((row[v] for v in compiled if ok(row.get(v))), key=median, default=None)
        value, mark = ratio(best_compile, best_cpp)
        if value is None:
            continue
        if value >= 1.0:
            won += 1
        elif mark:
            tied += 1
        else:
            lost.append(f"{key[0]} d{key[1]}/s{key[2]} {PHASE_NAMES[key[3]]} ({value:.2f}x)")
    total = won + tied + len(lost)
    if total:
        out.append(f"- Best C++ variant at least as fast as the best torch.compile mode: **{won} of {total}** cells"
                   + (f", {tied} more within noise" if tied else "") + "."
                   + (f" Slower: {', '.join(lost)}." if lost else ""))
    met, checked, missed = 0, 0, []
    for key, row in table.items():
        if key[3] != "forward" or not (ok(row.get("aot-inductor")) and ok(row.get("torch-compile"))):
            continue
        checked += 1
        aoti, compiled_ms = median(row["aot-inductor"]), median(row["torch-compile"])
        good = aoti <= 1.05 * compiled_ms if compiled_ms > 0.5 else aoti < compiled_ms
        if good:
            met += 1
        else:
            missed.append(f"{key[0]} d{key[1]}/s{key[2]} ({fmt_ms(aoti)} vs {fmt_ms(compiled_ms)} ms)")
    if checked:
        out.append(f"- aot-inductor forward within 5 % of torch.compile above 0.5 ms, faster below: **{met} of "
                   f"{checked}** cells." + (f" Missed: {', '.join(missed)}." if missed else ""))
    return out if len(out) > 1 else []


if __name__ == "__main__":
    main()
