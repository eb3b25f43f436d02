#!/usr/bin/env python3
"""Reference timings from Python: eager, torch.compile and torch.compile(mode="reduce-overhead").

Runs the workloads CompileScope runs (single-head attention; the CS336 TransformerLM forward and full AdamW train
step) with the same phase semantics and the same timing policy, and writes CompileScope's run JSON (schema
version 1, docs/json-schema.md), so `compilescope-cli report` renders it and the GUI can load it as a baseline.

Variant names in the output: "eager" (Python eager), "torch.compile" (default mode) and
"torch.compile-reduce-overhead". Speedups in a report of this file are therefore torch.compile over Python eager.

Example (GPU server):
    python3 tools/reference/torch_compile_reference.py --preset seed --device cuda --json py-seed.json
"""
import argparse
import datetime
import json
import math
import os
import platform
import socket
import statistics
import sys
import time

import torch

SCHEMA_VERSION = 1
MODES = {"eager": None, "torch.compile": "default", "torch.compile-reduce-overhead": "reduce-overhead"}
PRESETS = {
    "seed": dict(d_models=[16, 32, 64, 128], seq_lens=[256, 1024, 4096, 8192], batch=8,
                 model=dict(vocab_size=1000, context_length=384, d_model=192, num_layers=3, num_heads=6, d_ff=768,
                            batch=6, seq_len=192)),
    "cs336-small": dict(d_models=[16, 32, 64, 128], seq_lens=[256, 1024, 4096, 8192, 16384], batch=8,
                        model=dict(vocab_size=10000, context_length=256, d_model=768, num_layers=12, num_heads=12,
                                   d_ff=3072, batch=4, seq_len=256)),
}
DTYPES = {"fp32": torch.float32, "tf32": torch.float32, "bf16": torch.bfloat16, "fp16": torch.float16}


# ---- the workloads: the same math as core/src/engine/workloads.cpp --------------------------------------------

def attention(q, k, v, causal):
    scores = torch.matmul(q, k.transpose(-2, -1)) * (1.0 / math.sqrt(q.shape[-1]))
    if causal:
        n = q.shape[-2]
        mask = torch.ones(n, n, dtype=torch.bool, device=q.device).triu(1)
        scores = scores.masked_fill(mask, float("-inf"))
    return torch.matmul(torch.softmax(scores, dim=-1), v)


def trunc_normal(shape, std, device, dtype):
    t = torch.empty(shape, device=device, dtype=torch.float32)
    torch.nn.init.trunc_normal_(t, mean=0.0, std=std, a=-3 * std, b=3 * std)
    return torch.nn.Parameter(t.to(dtype))


def linear_weight(d_out, d_in, device, dtype):
    return trunc_normal((d_out, d_in), math.sqrt(2.0 / (d_in + d_out)), device, dtype)


class TransformerLM(torch.nn.Module):
    """CS336: pre-norm blocks (RMSNorm, causal MHA with RoPE, SwiGLU), final RMSNorm, untied LM head."""

    def __init__(self, cfg, device, dtype):
        super().__init__()
        d, f = cfg["d_model"], cfg["d_ff"]
        self.num_heads = cfg["num_heads"]
        self.embedding = trunc_normal((cfg["vocab_size"], d), 1.0, device, dtype)
        self.layers = torch.nn.ModuleList()
        for _ in range(cfg["num_layers"]):
            layer = torch.nn.Module()
            layer.ln1 = torch.nn.Parameter(torch.ones(d, device=device, dtype=dtype))
            layer.wq, layer.wk = linear_weight(d, d, device, dtype), linear_weight(d, d, device, dtype)
            layer.wv, layer.wo = linear_weight(d, d, device, dtype), linear_weight(d, d, device, dtype)
            layer.ln2 = torch.nn.Parameter(torch.ones(d, device=device, dtype=dtype))
            layer.w1, layer.w3 = linear_weight(f, d, device, dtype), linear_weight(f, d, device, dtype)
            layer.w2 = linear_weight(d, f, device, dtype)
            self.layers.append(layer)
        self.ln_final = torch.nn.Parameter(torch.ones(d, device=device, dtype=dtype))
        self.lm_head = linear_weight(cfg["vocab_size"], d, device, dtype)
        head_dim = d // self.num_heads
        inv_freq = cfg["rope_theta"] ** (-torch.arange(0, head_dim, 2, device=device, dtype=torch.float32) / head_dim)
        angles = torch.outer(torch.arange(cfg["context_length"], device=device, dtype=torch.float32), inv_freq)
        self.register_buffer("cos", angles.cos().to(dtype), persistent=False)
        self.register_buffer("sin", angles.sin().to(dtype), persistent=False)

    @staticmethod
    def rms_norm(x, gain, eps=1e-5):  # upcast as CS336 does, so bf16/fp16 square and average in fp32
        xf = x.float()
        return (xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + eps)).to(x.dtype) * gain

    def rope(self, x):  # x: (batch, heads, seq, head_dim); rotates interleaved pairs
        n = x.shape[-2]
        cos, sin = self.cos[:n], self.sin[:n]
        even, odd = x[..., 0::2], x[..., 1::2]
        return torch.stack((even * cos - odd * sin, even * sin + odd * cos), dim=-1).flatten(-2)

    def forward(self, tokens):
        b, n = tokens.shape
        h = self.num_heads
        x = self.embedding[tokens]
        for layer in self.layers:
            y = self.rms_norm(x, layer.ln1)
            q, k, v = (torch.matmul(y, w.t()).view(b, n, h, -1).transpose(1, 2) for w in (layer.wq, layer.wk, layer.wv))
            heads = attention(self.rope(q), self.rope(k), v, causal=True)
            x = x + torch.matmul(heads.transpose(1, 2).reshape(b, n, -1), layer.wo.t())
            y = self.rms_norm(x, layer.ln2)
            gate = torch.nn.functional.silu(torch.matmul(y, layer.w1.t())) * torch.matmul(y, layer.w3.t())
            x = x + torch.matmul(gate, layer.w2.t())
        return torch.matmul(self.rms_norm(x, self.ln_final), self.lm_head.t())


# ---- timing: the policy of MeasureConfig (core/include/compilescope/config.h) -----------------------------------

class Timer:
    def __init__(self, device):
        self.cuda = device == "cuda"

    def sync(self):
        if self.cuda:
            torch.cuda.synchronize()

    def time_ms(self, fn):
        if self.cuda:
            start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            start.record()
            fn()
            end.record()
            end.synchronize()
            return start.elapsed_time(end)
        begin = time.perf_counter()
        fn()
        return (time.perf_counter() - begin) * 1e3

    def run(self, setup, step, measure):
        samples, begin = [], time.perf_counter()
        while True:
            if setup:
                setup()
            self.sync()
            samples.append(self.time_ms(step))
            n, measured = len(samples), sum(samples) / 1e3
            wall = time.perf_counter() - begin
            if measure["fixed_iters"] > 0:
                if n >= measure["fixed_iters"]:
                    return samples
                continue
            if n >= measure["max_iters"] or wall >= measure["max_time_s"]:
                return samples
            if n >= measure["min_iters"] and measured >= measure["min_time_s"]:
                mean = statistics.fmean(samples)
                sem = statistics.stdev(samples) / math.sqrt(n) if n > 1 else float("inf")
                if sem <= measure["target_rel_error"] * mean:
                    return samples


def summarize(samples):
    n = len(samples)
    if n == 0:
        return dict(n=0, mean_ms=0, std_ms=0, median_ms=0, q1_ms=0, q3_ms=0, min_ms=0, max_ms=0, cv=0)
    mean = statistics.fmean(samples)
    std = statistics.stdev(samples) if n > 1 else 0.0
    ordered = sorted(samples)

    def quantile(p):  # linear interpolation, as numpy's default
        pos = p * (n - 1)
        lo = int(math.floor(pos))
        hi = min(lo + 1, n - 1)
        return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)

    return dict(n=n, mean_ms=mean, std_ms=std, median_ms=quantile(0.5), q1_ms=quantile(0.25), q3_ms=quantile(0.75),
                min_ms=ordered[0], max_ms=ordered[-1], cv=std / mean if mean > 0 else 0.0)


# ---- phases ------------------------------------------------------------------------------------------------------

def attention_programs(q, k, v, grad_out, causal, fn):
    """forward (no grad), backward (untimed forward, timed backward), forward_backward."""
    state = {}

    def forward():
        with torch.no_grad():
            state["out"] = fn(q, k, v, causal)

    def build_graph():
        for t in (q, k, v):
            t.grad = None
        state["out"] = fn(q, k, v, causal)

    def backward():
        state["out"].backward(grad_out)

    def forward_backward():
        build_graph()
        backward()

    return {"forward": (None, forward), "backward": (build_graph, backward),
            "forward_backward": (None, forward_backward)}


def model_programs(model, tokens, targets, fn, optimizer):
    def forward():
        with torch.no_grad():
            fn(tokens)

    def train_step():
        optimizer.zero_grad(set_to_none=True)  # in-place zeroing would write into reduce-overhead's graph outputs
        logits = fn(tokens)
        loss = torch.nn.functional.cross_entropy(logits.flatten(0, 1).float(), targets.flatten())
        loss.backward()
        optimizer.step()

    return {"forward": (None, forward), "train_step": (None, train_step)}


def compiled(fn, mode):
    if mode is None:
        return fn
    torch._dynamo.reset()
    graphed = torch.compile(fn, mode=mode)

    def step(*args):
        # reduce-overhead replays CUDA graphs whose outputs the next replay overwrites: each call is a new step.
        torch.compiler.cudagraph_mark_step_begin()
        return graphed(*args)

    return step


def measure_program(timer, setup, step, measure):
    """first call (includes torch.compile's compilation), warm-ups, timed iterations."""
    if setup:
        setup()
    timer.sync()
    first = timer.time_ms(step)
    for _ in range(measure["warmup_iters"]):
        if setup:
            setup()
        step()
    timer.sync()
    if timer.cuda:
        torch.cuda.reset_peak_memory_stats()
    samples = timer.run(setup, step, measure)
    peak = torch.cuda.max_memory_allocated() if timer.cuda else 0
    return first, samples, peak


def measurement(cell, phase, variant, status="ok", message="", first=None, samples=(), peak=0, notes=()):
    samples = list(samples)
    return dict(cell=cell, phase=phase, variant=variant, status=status, message=message, notes=list(notes),
                compile_ms=None, first_call_ms=first, warmup_iters=0, stats=summarize(samples), samples_ms=samples,
                peak_memory_bytes=int(peak), memory_kind="CUDA allocator peak" if peak else "",
                estimated_memory_bytes=0, flops=0.0,
                correctness=dict(checked=False, passed=False, max_abs_error=0.0, max_rel_error=0.0, tolerance=0.0,
                                 detail="not checked: the reference script compares timings only"))


def run(args, on_record=None):
    device, dtype = args.device, DTYPES[args.dtype]
    torch.backends.cuda.matmul.allow_tf32 = args.dtype == "tf32"
    torch.backends.cudnn.allow_tf32 = args.dtype == "tf32"
    timer = Timer(device)
    measure = dict(warmup_iters=args.warmup, fixed_iters=args.iters, min_time_s=args.min_time,
                   max_time_s=args.max_time, min_iters=args.min_iters, max_iters=args.max_iters,
                   target_rel_error=0.01, noise_cv_threshold=0.05)
    results = []

    def record(m):
        results.append(m)
        if on_record:
            on_record(results, measure)  # a run cut short keeps what it measured
        s = m["stats"]
        print(f"{m['cell']['workload']:>14} d={m['cell']['d_model']:<5} n={m['cell']['seq_len']:<6} "
              f"{m['phase']:<16} {m['variant']:<30} {m['status']:<7} {s['mean_ms']:9.3f} ms ±{s['std_ms']:.3f}",
              file=sys.stderr, flush=True)

    if "attention" in args.workloads:
        for d in args.d_model:
            for n in args.seq_len:
                cell = dict(workload="attention", batch=args.batch, d_model=d, seq_len=n)
                for phase in args.attention_phases:
                    for variant, mode in MODES.items():
                        if variant not in args.variants:
                            continue
                        try:
                            torch.manual_seed(args.seed)
                            q, k, v = (torch.randn(args.batch, n, d, device=device, dtype=dtype, requires_grad=True)
                                       for _ in range(3))
                            grad_out = torch.randn(args.batch, n, d, device=device, dtype=dtype)
                            fn = compiled(attention, mode)
                            setup, step = attention_programs(q, k, v, grad_out, args.causal, fn)[phase]
                            first, samples, peak = measure_program(timer, setup, step, measure)
                            record(measurement(cell, phase, variant, first=first, samples=samples, peak=peak))
                        except Exception as error:  # a failing cell is recorded and the sweep goes on
                            record(measurement(cell, phase, variant, "failed", str(error).splitlines()[0]))
                        finally:
                            if device == "cuda":
                                torch.cuda.empty_cache()

    if "transformer_lm" in args.workloads:
        cfg = dict(args.model)
        cell = dict(workload="transformer_lm", batch=cfg["batch"], d_model=cfg["d_model"], seq_len=cfg["seq_len"])
        for phase in args.model_phases:
            for variant, mode in MODES.items():
                if variant not in args.variants:
                    continue
                try:
                    torch.manual_seed(args.seed)
                    model = TransformerLM(cfg, device, dtype)
                    tokens = torch.randint(0, cfg["vocab_size"], (cfg["batch"], cfg["seq_len"]), device=device)
                    targets = torch.randint(0, cfg["vocab_size"], (cfg["batch"], cfg["seq_len"]), device=device)
                    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, betas=(0.9, 0.95), weight_decay=0.01)
                    fn = compiled(model, mode)
                    setup, step = model_programs(model, tokens, targets, fn, optimizer)[phase]
                    first, samples, peak = measure_program(timer, setup, step, measure)
                    notes = ["torch.compile compiles on the first call: first_call_ms includes compilation"] if mode \
                        else []
                    if phase == "train_step":
                        notes.append("optimizer: torch.optim.AdamW (default foreach implementation), not compiled")
                    record(measurement(cell, phase, variant, first=first, samples=samples, peak=peak, notes=notes))
                except Exception as error:
                    record(measurement(cell, phase, variant, "failed", str(error).splitlines()[0]))
                finally:
                    if device == "cuda":
                        torch.cuda.empty_cache()
    return results, measure


def environment(args):
    cuda = torch.cuda.is_available()
    props = torch.cuda.get_device_properties(0) if cuda else None
    cpu = platform.processor()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return dict(compilescope_version="reference script (Python)", git_revision="",
                libtorch_version=f"Python torch {torch.__version__}", cuda_available=cuda, mps_available=False,
                cuda_version=torch.version.cuda or "", cudnn_version=str(torch.backends.cudnn.version() or ""),
                gpu_name=props.name if props else "", gpu_sm_count=props.multi_processor_count if props else 0,
                gpu_driver="", cpu_model=cpu, cpu_cores=os.cpu_count() or 0, torch_threads=torch.get_num_threads(),
                blas="", compiler=f"Python {platform.python_version()}", build_type="", os=platform.platform(),
                hostname=socket.gethostname(), allocator="", torchscript_cpu_fusion=False)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--preset", choices=sorted(PRESETS), default="seed")
    parser.add_argument("--workload", choices=["attention", "transformer_lm", "all"], default="all")
    parser.add_argument("--d-model", type=lambda s: [int(x) for x in s.split(",")])
    parser.add_argument("--seq-len", type=lambda s: [int(x) for x in s.split(",")])
    parser.add_argument("--batch", type=int)
    parser.add_argument("--causal", action="store_true")
    parser.add_argument("--variants", default=",".join(MODES), help="comma list of " + ", ".join(MODES))
    parser.add_argument("--phases", default="", help="comma list; default: every phase")
    parser.add_argument("--device", choices=["cpu", "cuda"], default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--dtype", choices=sorted(DTYPES), default="fp32")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--iters", type=int, default=0, help="fixed timed iterations (0: adaptive)")
    parser.add_argument("--min-time", type=float, default=0.5)
    parser.add_argument("--max-time", type=float, default=10.0)
    parser.add_argument("--min-iters", type=int, default=5)
    parser.add_argument("--max-iters", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", required=True, help="output file (CompileScope run JSON)")
    args = parser.parse_args()
    preset = PRESETS[args.preset]
    args.d_model = args.d_model or preset["d_models"]
    args.seq_len = args.seq_len or preset["seq_lens"]
    args.batch = args.batch or preset["batch"]
    args.model = dict(preset["model"], rope_theta=10000.0)
    args.workloads = ["attention", "transformer_lm"] if args.workload == "all" else [args.workload]
    args.variants = args.variants.split(",")
    unknown = [v for v in args.variants if v not in MODES]
    if unknown:
        parser.error(f"--variants: unknown {unknown}; allowed: {', '.join(MODES)}")
    phases = [p for p in args.phases.split(",") if p]
    args.attention_phases = [p for p in ("forward", "backward", "forward_backward") if not phases or p in phases]
    args.model_phases = [p for p in ("forward", "train_step") if not phases or p in phases]
    return args


def write(args, started, results, measure):
    finished = datetime.datetime.now().astimezone()
    document = dict(
        schema="compilescope-run", schema_version=SCHEMA_VERSION,
        config=dict(workloads=args.workloads,
                    attention=dict(d_models=args.d_model, seq_lens=args.seq_len, batch=args.batch, causal=args.causal),
                    model=args.model, variants=args.variants,
                    phases=[p for p in args.phases.split(",") if p], device=args.device, dtype=args.dtype,
                    threads=0, allocator="system", seed=args.seed, measure=measure, memory_limit_bytes=0,
                    preset=args.preset),
        environment=environment(args),
        started_at=started.isoformat(timespec="seconds"), finished_at=finished.isoformat(timespec="seconds"),
        wall_time_s=(finished - started).total_seconds(), cancelled=False, measurements=results)
    tmp = args.json + ".tmp"
    with open(tmp, "w") as f:
        json.dump(document, f, indent=2)
    os.replace(tmp, args.json)


def main():
    args = parse_args()
    started = datetime.datetime.now().astimezone()
    results, measure = run(args, on_record=lambda results, measure: write(args, started, results, measure))
    write(args, started, results, measure)
    print(f"wrote {args.json}: {len(results)} measurements", file=sys.stderr)


if __name__ == "__main__":
    main()
