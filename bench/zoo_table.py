#!/usr/bin/env python3
"""The zoo table: one row per model, cell and phase of bench/zoo.sh's runs (one run per model), as Markdown on stdout:
py-eager's and torch-compile's medians, their ratio ("~" where the interquartile ranges overlap: on a shared machine
not a result), torch.compile's compile time, and what it did (graphs, graph breaks, from compile_explained).

    python3 bench/zoo_table.py docs/results/zoo-cpu/*.json --command "bench/zoo.sh" > docs/results/zoo-cpu.md
"""
import argparse
import json
import os


def ok(m):
    return m is not None and m["status"] == "ok" and m["stats"]["n"] > 0


def ratio(base, other):
    if not (ok(base) and ok(other)):
        return "-"
    b, o = base["stats"], other["stats"]
    overlap = b["q1_ms"] <= o["q3_ms"] and o["q1_ms"] <= b["q3_ms"]
    return ("~" if overlap else "") + f"{b['median_ms'] / o['median_ms']:.2f}x"


def cell_text(cell):
    return ", ".join(f"{axis['name']} {axis['value']}" for axis in cell.get("point", []))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("runs", nargs="+")
    parser.add_argument("--command", default="bench/zoo.sh")
    args = parser.parse_args()
    rows, machine, threads = [], None, set()
    for path in args.runs:
        with open(path) as f:
            run = json.load(f)
        machine = machine or run["environment"]
        threads.add(run["config"]["threads"])
        model = os.path.splitext(os.path.basename(run["config"]["model_file"]["path"]))[0]
        by_key = {(json.dumps(m["cell"]), m["phase"], m["variant"]): m for m in run["measurements"]}
        for m in run["measurements"]:
            if m["variant"] != "py-eager":
                continue
            compiled = by_key.get((json.dumps(m["cell"]), m["phase"], "torch-compile"))
            explained = (compiled or {}).get("compile_explained") or {}
            under_load = any("under load" in note for x in (m, compiled or {}) for note in x.get("notes", []))
            rows.append([model, cell_text(m["cell"]), m["phase"],
                         f"{m['stats']['median_ms']:.3g}" if ok(m) else m["status"],
                         f"{compiled['stats']['median_ms']:.3g}" if ok(compiled) else (compiled or {}).get("status", "-"),
                         ratio(m, compiled),
                         f"{compiled['compile_ms'] / 1e3:.1f}" if ok(compiled) and compiled.get("compile_ms") else "-",
                         str(explained.get("graphs", "-")), str(len(explained.get("graph_breaks", []))),
                         "yes" if under_load else ""])
    print("# The model zoo on the CPU\n")
    print(f"`{args.command}` on {machine['cpu_model']} ({machine['cpu_cores']} logical CPUs), {machine['os']}, "
          f"LibTorch {machine['libtorch_version']}, Python's torch {machine.get('python_torch_version', '?')}, "
          f"intra-op threads {', '.join(str(t) if t else 'default' for t in sorted(threads))}. Medians in ms; speedup = py-eager / torch-compile; \"~\": the interquartile ranges "
          "overlap; \"under load\": the machine was busy while one of the two was timed.\n")
    header = ["Model", "Cell", "Phase", "py-eager (ms)", "torch-compile (ms)", "Speedup", "Compile (s)", "Graphs",
              "Graph breaks", "Under load"]
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
