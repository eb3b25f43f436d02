#!/usr/bin/env python3
"""The race table: C++ variants (a compilescope-cli run JSON) against Python eager and torch.compile (the JSON of
tools/reference/torch_compile_reference.py), measured in one GPU session, as Markdown on stdout.

Per cell and phase: the median of each C++ variant and each Python mode, the fp32 FLOP lower bound (the cell's
FLOPs at the card's fp32 non-tensor-core peak), and the ratios the targets in issue 5 are about. Then a check of
each target against these numbers.

    python3 bench/gpu/race_table.py cpp-seed.json py-seed.json --command "bench/gpu/run.sh race seed" > race.md
"""
import argparse
import json
import statistics

PHASE_ORDER = ["forward", "backward", "forward_backward", "train_step"]
PHASE_NAMES = {"forward": "Forward", "backward": "Backward", "forward_backward": "Forward+Backward",
               "train_step": "Train step"}
PY_NAMES = {"eager": "Py eager", "torch.compile": "torch.compile", "torch.compile-reduce-overhead": "reduce-overhead"}
# fp32 FMA throughput without tensor cores, TFLOP/s, by GPU name (datasheet figures).
FP32_PEAK_TFLOPS = {"H100 80GB HBM3": 66.9, "H100 PCIe": 51.2, "H200": 66.9, "A100": 19.5}


def load(path):
    with open(path) as f:
        return json.load(f)


def key(m):
    c = m["cell"]
    return (c["workload"], c["d_model"], c["seq_len"], m["phase"])


def fmt_ms(value):
    if value is None:
        return "n/a"
    return f"{value:.3f}" if value < 10 else f"{value:.2f}"


def ratio(a, b):
    return f"{a / b:.2f}x" if a and b else "n/a"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cpp")
    parser.add_argument("python")
    parser.add_argument("--command", default="", help="the command that produced both files, for the header")
    parser.add_argument("--extra", nargs=2, action="append", default=[], metavar=("JSON", "LABEL"),
                        help="another C++ run of the same cells (e.g. --sdpa-backend math): its non-eager variants "
                             "become columns named 'C++ VARIANT [LABEL]'")
    parser.add_argument("--peak-tflops", type=float, help="fp32 peak for the lower bound (default: by GPU name)")
    args = parser.parse_args()
    cpp, py = load(args.cpp), load(args.python)
    env = cpp["environment"]
    peak = args.peak_tflops or next((v for k, v in FP32_PEAK_TFLOPS.items() if k in env["gpu_name"]), None)

    cpp_variants = cpp["config"]["variants"]
    py_variants = [v for v in PY_NAMES if v in py["config"]["variants"]]
    table = {}  # key -> {column: measurement}
    for m in cpp["measurements"]:
        table.setdefault(key(m), {})["C++ " + m["variant"]] = m
    extra_columns = []
    for path, label in args.extra:
        extra = load(path)
        for m in extra["measurements"]:
            if m["variant"] == "eager" or key(m) not in table:
                continue
            column = f"C++ {m['variant']} [{label}]"
            table[key(m)][column] = m
            if column not in extra_columns:
                extra_columns.append(column)
    for m in py["measurements"]:
        table.setdefault(key(m), {})[PY_NAMES[m["variant"]]] = m
    cpp_columns = ["C++ " + v for v in cpp_variants] + extra_columns
    py_columns = [PY_NAMES[v] for v in py_variants]

    def median(entry, column):
        m = entry.get(column)
        return m["stats"]["median_ms"] if m and m["status"] == "ok" else None

    def best(entry, columns):
        values = [(median(entry, c), c) for c in columns if median(entry, c) is not None]
        return min(values) if values else (None, None)

    out = []
    out.append(f"# Race: C++ variants against Python eager and torch.compile on {env['gpu_name'] or 'this device'}\n")
    out.append(f"- Command: `{args.command}`" if args.command else "- Command: not recorded")
    out.append(f"- C++: CompileScope {env['compilescope_version']} ({env['git_revision']}), LibTorch "
               f"{env['libtorch_version']}, CUDA {env['cuda_version']}, cuDNN {env['cudnn_version']}, driver "
               f"{env['gpu_driver']}, {env['gpu_sm_count']} SMs; started {cpp['started_at']}, "
               f"sweep wall time {cpp['wall_time_s']:.1f} s (compilation and capture included)")
    pe = py["environment"]
    out.append(f"- Python: {pe['libtorch_version']}, started {py['started_at']}, wall time {py['wall_time_s']:.1f} s")
    out.append(f"- dtype {cpp['config']['dtype']}, SDPA backend {cpp['config'].get('sdpa_backend', 'auto')}; "
               "times are medians in ms of CUDA-event timings, the device idle at the start of each iteration, "
               "in both programs")
    if peak:
        out.append(f"- Lower bound: the cell's FLOPs (CompileScope's model: matmuls, softmax, elementwise) at "
                   f"{peak} TFLOP/s, the card's fp32 peak without tensor cores")
    out.append("- Best C++ / best compile: the fastest C++ variant other than eager against the faster torch.compile "
               "mode; below 1.00x the C++ side is faster\n")

    targets = {"eager": [], "best": [], "agree": [], "cv": [], "step": [], "graph256": []}
    workloads = []
    for k in table:
        if k[0] not in workloads:
            workloads.append(k[0])
    for workload in workloads:
        for phase in PHASE_ORDER:
            keys = sorted(k for k in table if k[0] == workload and k[3] == phase)
            if not keys:
                continue
            out.append(f"## {workload} — {PHASE_NAMES[phase]}\n")
            header = ["d_model", "seq_len", "lower bound"] + cpp_columns + py_columns + [
                "C++ eager / Py eager", "best C++ / best compile"]
            out.append("| " + " | ".join(header) + " |")
            out.append("|" + "|".join("---:" for _ in header) + "|")
            for k in keys:
                entry = table[k]
                any_m = entry.get("C++ eager") or next(iter(entry.values()))
                bound = any_m.get("flops", 0) / (peak * 1e9) if peak and any_m.get("flops") else None
                cpp_eager, py_eager = median(entry, "C++ eager"), median(entry, "Py eager")
                best_cpp, best_cpp_col = best(entry, [c for c in cpp_columns if c != "C++ eager"])
                best_py, best_py_col = best(entry, [c for c in py_columns if c != "Py eager"])
                cells = [str(k[1]), str(k[2]), fmt_ms(bound)]
                for c in cpp_columns + py_columns:
                    text = fmt_ms(median(entry, c))
                    if median(entry, c) is not None and c in (best_cpp_col, best_py_col):
                        text = f"**{text}**"
                    cells.append(text)
                cells += [ratio(cpp_eager, py_eager), ratio(best_cpp, best_py)]
                out.append("| " + " | ".join(cells) + " |")
                label = f"{workload} d={k[1]} n={k[2]} {phase}"
                if cpp_eager and py_eager:
                    targets["eager"].append((cpp_eager / py_eager, label))
                    if min(cpp_eager, py_eager) > 1.0:
                        targets["agree"].append((abs(cpp_eager / py_eager - 1), label))
                if best_cpp and best_py:
                    targets["best"].append((best_cpp / best_py, label, best_cpp_col, best_py_col))
                if phase == "train_step" and best_cpp:
                    targets["step"].append((best_cpp, label, best_cpp_col))
                graphed = median(entry, "C++ cuda-graph")
                if workload == "attention" and phase == "forward" and k[2] == 256 and cpp_eager and graphed:
                    targets["graph256"].append((cpp_eager / graphed, label))
                for c, m in entry.items():
                    if c.startswith("C++") and m["status"] == "ok" and m["stats"]["median_ms"] > 1.0:
                        targets["cv"].append((m["stats"]["cv"], f"{label} {c}"))
            out.append("")
            notes = sorted({f"{c}: {m['message']}" for entry in (table[k] for k in keys) for c, m in entry.items()
                            if m["status"] != "ok"})
            if notes:
                out.append("Not measured:\n")
                out += [f"- {n}" for n in notes[:12]]
                out.append("")

    out.append("## Targets\n")
    slower = [t for t in targets["eager"] if t[0] > 1.0]
    out.append(f"- C++ eager no slower than Python eager: {len(targets['eager']) - len(slower)} of "
               f"{len(targets['eager'])} cells" + (f"; slower: " + ", ".join(f"{l} ({r:.2f}x)" for r, l in
                                                                          sorted(slower, reverse=True)[:8])
                                                   if slower else ""))
    behind = [t for t in targets["best"] if t[0] > 1.0]
    out.append(f"- Best C++ variant at least as fast as the best torch.compile mode: "
               f"{len(targets['best']) - len(behind)} of {len(targets['best'])} cells"
               + ("; behind: " + ", ".join(f"{l} ({r:.2f}x, {c} vs {p})" for r, l, c, p in
                                            sorted(behind, reverse=True)[:8]) if behind else ""))
    for ms, label, column in targets["step"]:
        out.append(f"- Train step with the best C++ variant at most 1.0 ms: {ms:.3f} ms ({column}; {label})")
    if targets["graph256"]:
        out.append("- Attention forward at seq_len 256 at least 3x faster than eager through CUDA graphs: "
                   + ", ".join(f"{label.split(' ')[1]} {r:.2f}x" for r, label in targets["graph256"]))
    if targets["agree"]:
        worst = max(targets["agree"])
        within = sum(1 for d, _ in targets["agree"] if d <= 0.03)
        out.append(f"- C++ eager and Python eager (same kernels, independent timing code) within 3% on cells above "
                   f"1 ms: {within} of {len(targets['agree'])}; largest gap {worst[0] * 100:.1f}% ({worst[1]})")
    if targets["cv"]:
        noisy = [t for t in targets["cv"] if t[0] >= 0.02]
        out.append(f"- CV below 2% on C++ measurements above 1 ms: {len(targets['cv']) - len(noisy)} of "
                   f"{len(targets['cv'])}" + ("; above: " + ", ".join(f"{l} ({c * 100:.1f}%)" for c, l in
                                                                      sorted(noisy, reverse=True)[:6])
                                                 if noisy else ""))
    print("\n".join(out))


if __name__ == "__main__":
    main()
