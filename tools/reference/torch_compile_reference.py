#!/usr/bin/env python3
"""CompileScope's Python variants: Python eager, torch.compile and torch.compile(mode="reduce-overhead").

The C++ sweep (core/src/engine/python_runner.cpp) starts this script as a child process with --serve, once per
sweep, and sends it the measurements of its Python variants one at a time, on the sweep's own tensors. The script
times each one with the sweep's policy (config.h MeasureConfig: warm-up, then fixed or adaptive iterations) and
answers with the raw samples; the C++ side computes the statistics and checks the results against C++ eager, as
for every variant. Variants: "py-eager", "torch-compile" (default mode), "torch-compile-ro" (reduce-overhead:
Inductor's kernels replayed through CUDA graphs; CUDA only).

A model file's measurements (workload "model_file", docs/model-files.md) carry no inputs file: the request names the
file, the cell's "point" on its axes and the "seed", and model_file.py builds the module and its inputs; the script
says {"event": "stage", "stage": "building"} first, and a phase the file cannot run (no loss) is answered
{"status": "unavailable", "message": ...}. Its results are the output's tensors (forward), or the loss and the
gradients by parameter name.

Protocol: JSON lines. On start the script prints {"event": "ready", "torch": ..., "python": ...}. Each request is
one line on stdin:
    {"id": 7, "variant": "torch-compile", "workload": "attention", "phase": "forward", "device": "cpu",
     "dtype": "fp32", "threads": 1, "heads": 1, "parameter_names": [...], "adamw": "foreach",
     "measure": {"warmup_iters": 3, "fixed_iters": 0, "min_time_s": 0.5, "max_time_s": 10, "min_iters": 5,
                 "max_iters": 1000, "target_rel_error": 0.01},
     "inputs": "/tmp/compilescope-python-XXXX/inputs-3.pt", "results": "/tmp/.../results-7.pt"}
While it works on a request, the script says which stage it has reached, so that the C++ side can give each
stage its own deadline: {"id": 7, "event": "stage", "stage": "compiling"} before torch.compile's first call (not
for py-eager), {"id": 7, "event": "stage", "stage": "timing"} before the warm-up.
The inputs file is a dict of tensors saved by the C++ sweep (torch::pickle_save): attention "q", "k", "v",
optionally "grad_out" and "future_mask"; the model "p0".."pN" (parameters in the order of parameter_names),
"tokens", "targets", "rope_cos", "rope_sin", "future_mask"; both "scale". The answer is one line on stdout:
    {"id": 7, "status": "ok", "compile_ms": ..., "first_call_ms": ..., "warmup_iters": 3, "samples_ms": [...],
     "peak_memory_bytes": ..., "memory_kind": ..., "notes": [...], "load": {"before": READING, "after": READING},
     "compile_explained": EXPLAINED}
where a READING, taken just before and after the timed iterations, is {"proc_stat": the first line of /proc/stat,
"cpu_s": this process's user + system seconds, "involuntary_switches": ..., "wall_s": the monotonic clock}; the C++
side turns the two into the measurement's machine load (compilescope/machine_load.h), as for its own variants. No
"load" where /proc/stat cannot be read.
and EXPLAINED (torch.compile's variants only, compile_explained()) is {"graphs": 1, "graph_breaks": [{"reason": ...,
"where": "model.py:12 in forward"}], "recompiles": ["0/0: tensor 'x' size mismatch ..."], "dynamic_shapes": false,
"dynamo_ms": ..., "aot_autograd_ms": ..., "inductor_ms": ..., "codegen_ms": ...};
or {"id": 7, "status": "failed", "message": "..."}; the tensors of one checked call are saved to "results" as a dict
named like the C++ results ("output", "grad_q", ..., "logits", "loss", "grad <parameter>", "updated <parameter>").
Anything else the script or torch prints goes to stderr.
"""
import argparse
import json
import math
import os
import platform
import resource
import statistics
import sys
import time

import torch
import torch.jit._pickle  # the type tag of the dicts the C++ side saves (load_inputs)

import model_file  # beside this script: the user's own models (docs/model-files.md)

MODES = {"py-eager": None, "torch-compile": "default", "torch-compile-ro": "reduce-overhead"}
ADAMW = dict(lr=1e-3, betas=(0.9, 0.95), weight_decay=0.01)


# ---- the workloads: the same math as core/src/engine/workloads.cpp, on the C++ sweep's tensors ----------------

def attention(q, k, v, future_mask, scale):
    scores = torch.matmul(q, k.transpose(-2, -1)) * scale
    if future_mask is not None:
        scores = scores.masked_fill(future_mask, float("-inf"))
    return torch.matmul(torch.softmax(scores, dim=-1), v)


def rms_norm(x, gain):  # upcast as CS336 does, so bf16/fp16 square and average in fp32
    xf = x.float()
    return (xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + 1e-5)).to(x.dtype) * gain


def rope(x, cos, sin):  # x: (batch, heads, seq, head_dim); rotates interleaved pairs
    even, odd = x[..., 0::2], x[..., 1::2]
    return torch.stack((even * cos - odd * sin, even * sin + odd * cos), dim=-1).flatten(-2)


def transformer_logits(p, tokens, cos, sin, future_mask, scale, heads):
    """CS336: pre-norm blocks (RMSNorm, causal MHA with RoPE, SwiGLU), final RMSNorm, untied LM head.

    p: the parameters in the C++ layout (workloads.h init_model_parameters): embedding; per block ln1, q_proj,
    k_proj, v_proj, output_proj, ln2, w1, w2, w3; final norm gain; LM head."""
    b, n = tokens.shape
    x = torch.nn.functional.embedding(tokens, p[0])
    for first in range(1, len(p) - 2, 9):
        ln1, wq, wk, wv, wo, ln2, w1, w2, w3 = (p[first + i] for i in range(9))
        y = rms_norm(x, ln1)
        q, k, v = (torch.matmul(y, w.t()).view(b, n, heads, -1).transpose(1, 2) for w in (wq, wk, wv))
        attended = attention(rope(q, cos, sin), rope(k, cos, sin), v, future_mask, scale)
        x = x + torch.matmul(attended.transpose(1, 2).reshape(b, n, -1), wo.t())
        y = rms_norm(x, ln2)
        x = x + torch.matmul(torch.nn.functional.silu(torch.matmul(y, w1.t())) * torch.matmul(y, w3.t()), w2.t())
    return torch.matmul(rms_norm(x, p[len(p) - 2]), p[len(p) - 1].t())


class TransformerLM(torch.nn.Module):
    """transformer_logits with the parameters as a module's, as a user of torch.compile writes it."""

    def __init__(self, parameters, rope_cos, rope_sin, future_mask, scale, heads):
        super().__init__()
        self.weights = torch.nn.ParameterList(torch.nn.Parameter(p.detach().clone()) for p in parameters)
        self.register_buffer("cos", rope_cos, persistent=False)
        self.register_buffer("sin", rope_sin, persistent=False)
        self.register_buffer("future_mask", future_mask, persistent=False)
        self.scale = scale
        self.heads = heads

    def forward(self, tokens):
        return transformer_logits(self.weights, tokens, self.cos, self.sin, self.future_mask, self.scale, self.heads)


def model_loss(logits, targets):
    return torch.nn.functional.cross_entropy(logits.flatten(0, 1).float(), targets.flatten())


# ---- timing: the policy of MeasureConfig (core/include/compilescope/config.h) -----------------------------------

class Timer:
    def __init__(self, device):
        self.cuda = device == "cuda"

    def sync(self):
        if self.cuda:
            torch.cuda.synchronize()

    def time_ms(self, fn):
        """CUDA events on CUDA (the host's wait for the result is not timed), the steady clock on the CPU."""
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
            if n < measure["min_iters"]:
                continue  # min_iters wins over max_time, as in the C++ timer
            if n >= measure["max_iters"] or wall >= measure["max_time_s"]:
                return samples
            if measured >= measure["min_time_s"]:
                mean = statistics.fmean(samples)
                sem = statistics.stdev(samples) / math.sqrt(n) if n > 1 else float("inf")
                if sem <= measure["target_rel_error"] * mean:
                    return samples


def load_reading():
    """The raw figures of compilescope::LoadProbe (core/src/machine_load.cpp computes the shares from two of them):
    this process, not the C++ one that waits for it, is the one whose CPU time is not the others'."""
    try:
        with open("/proc/stat") as stat:
            line = stat.readline().strip()
    except OSError:
        return None
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"proc_stat": line, "cpu_s": usage.ru_utime + usage.ru_stime,
            "involuntary_switches": usage.ru_nivcsw, "wall_s": time.monotonic()}


class PeakMemory:
    """What a measurement needs, not what the process holds: the peak over the memory held at the start.
    CUDA: the caching allocator's peak allocated bytes minus those allocated at the start. CPU: the peak RSS
    (reset first, Linux clear_refs) minus the RSS at the start, which includes torch.compile's own compiler."""

    def __init__(self, device):
        self.cuda = device == "cuda"
        if self.cuda:
            torch.cuda.reset_peak_memory_stats()
            self.start = torch.cuda.memory_allocated()
            self.kind = "CUDA allocations, peak over start (Python process)"
            return
        self.start = self._status_bytes("VmRSS")
        try:
            with open("/proc/self/clear_refs", "w") as f:
                f.write("5")
            self.kind = "RSS of the Python process, peak over start"
        except OSError:
            self.start = 0
            self.kind = "peak RSS of the Python process since it started"

    @staticmethod
    def _status_bytes(key):
        try:
            with open("/proc/self/status") as f:
                for line in f:
                    if line.startswith(key + ":"):
                        return int(line.split()[1]) * 1024
        except OSError:
            pass
        return 0

    def bytes(self):
        if self.cuda:
            return max(0, torch.cuda.max_memory_allocated() - self.start)
        return max(0, self._status_bytes("VmHWM") - self.start)


# ---- programs: the phase semantics of core/src/engine/phase_program.h ---------------------------------------------

def compiled(fn, mode, device):
    if mode is None:
        return fn
    if mode == "reduce-overhead" and device != "cuda":
        raise RuntimeError("torch.compile(mode='reduce-overhead') replays CUDA graphs: it needs device cuda")
    torch._dynamo.reset()  # every measurement compiles afresh: no recompile limits, and compile time is its own
    graphed = torch.compile(fn, mode=mode)
    if mode != "reduce-overhead":
        return graphed

    def step(*args):
        # reduce-overhead replays CUDA graphs whose outputs the next replay overwrites: each call is a new step.
        torch.compiler.cudagraph_mark_step_begin()
        return graphed(*args)

    return step


class Program:
    """setup (untimed, may be None), step (timed), reset (restores the initial state), results (tensors to check)."""

    def __init__(self, step, results, setup=None, reset=None, notes=()):
        self.step, self.results, self.setup, self.reset, self.notes = step, results, setup, reset, list(notes)


def attention_program(phase, inputs, fn):
    grads = phase != "forward"
    q, k, v = (inputs[name].detach().clone().requires_grad_(grads) for name in ("q", "k", "v"))
    mask, scale, grad_out = inputs.get("future_mask"), float(inputs["scale"]), inputs.get("grad_out")
    state = {}

    def forward():
        with torch.no_grad():
            state["out"] = fn(q, k, v, mask, scale)

    def build_graph():
        for t in (q, k, v):
            t.grad = None
        state["out"] = fn(q, k, v, mask, scale)

    def backward():
        state["out"].backward(grad_out)

    def forward_backward():
        build_graph()
        backward()

    def gradients():
        return {"grad_q": q.grad.clone(), "grad_k": k.grad.clone(), "grad_v": v.grad.clone()}

    if phase == "forward":
        return Program(forward, lambda: {"output": state["out"].clone()})
    if phase == "backward":
        return Program(backward, gradients, setup=build_graph)
    if phase == "forward_backward":
        return Program(forward_backward, lambda: dict(output=state["out"].detach().clone(), **gradients()))
    raise ValueError(f"attention has no phase {phase}")


def model_program(phase, request, inputs, mode):
    names = request["parameter_names"]
    initial = [inputs[f"p{i}"] for i in range(len(names))]
    model = TransformerLM(initial, inputs["rope_cos"], inputs["rope_sin"], inputs["future_mask"],
                          float(inputs["scale"]), request["heads"])
    tokens, targets = inputs["tokens"], inputs["targets"]
    fn = compiled(model, mode, request["device"])
    if phase == "forward":
        state = {}

        def forward():
            with torch.no_grad():
                state["logits"] = fn(tokens)

        return Program(forward, lambda: {"logits": state["logits"].clone()})
    if phase != "train_step":
        raise ValueError(f"transformer_lm has no phase {phase}")

    fused = request["adamw"] == "fused"
    state = {}

    def new_optimizer():
        state["optimizer"] = torch.optim.AdamW(model.parameters(), **ADAMW, **({"fused": True} if fused else {}))

    def reset():
        with torch.no_grad():
            for parameter, value in zip(model.weights, initial):
                parameter.copy_(value)
                parameter.grad = None
        new_optimizer()

    def train_step():
        state["optimizer"].zero_grad(set_to_none=True)  # in-place zeroing would write into reduce-overhead's outputs
        loss = model_loss(fn(tokens), targets)
        loss.backward()
        state["optimizer"].step()
        state["loss"] = loss

    def results():
        tensors = {"loss": state["loss"].detach().clone()}
        for name, parameter in zip(names, model.weights):
            tensors["grad " + name] = parameter.grad.clone()
        for name, parameter in zip(names, model.weights):
            tensors["updated " + name] = parameter.detach().clone()
        return tensors

    new_optimizer()
    note = ("optimizer: torch.optim.AdamW(fused=True), one fused kernel per step" if fused else
            "optimizer: torch.optim.AdamW, default multi-tensor (foreach) implementation")
    return Program(train_step, results, reset=reset, notes=[note + ", not compiled"])


# ---- one measurement -----------------------------------------------------------------------------------------------

def load_inputs(path, device):
    # The C++ side saves a typed dict (torch::pickle_save), which carries a type tag.
    with torch.serialization.safe_globals([torch.jit._pickle.restore_type_tag]):
        return torch.load(path, map_location=device, weights_only=True)


def measure(request, stage):
    device, measure_config = request["device"], request["measure"]
    if request.get("threads", 0) > 0:
        torch.set_num_threads(request["threads"])
    if device == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = request["dtype"] == "tf32"
        torch.backends.cudnn.allow_tf32 = request["dtype"] == "tf32"
    variant = request["variant"]
    if variant not in MODES:
        raise ValueError(f"unknown Python variant {variant!r} (known: {', '.join(MODES)})")
    mode = MODES[variant]
    timer = Timer(device)
    memory = PeakMemory(device)

    if request["workload"] == "model_file":
        stage("building")
        adamw = dict(ADAMW, **({"fused": True} if request["adamw"] == "fused" else {}))
        program = model_file.programs(dict(request, mode=mode), compiled, Program, adamw)
    elif request["workload"] == "attention":
        inputs = load_inputs(request["inputs"], device)
        program = attention_program(request["phase"], inputs, compiled(attention, mode, device))
    else:
        inputs = load_inputs(request["inputs"], device)
        program = model_program(request["phase"], request, inputs, mode)

    def call():
        if program.setup:
            program.setup()
        timer.sync()
        return timer.time_ms(program.step)

    reply = {"status": "ok", "notes": program.notes, "compile_ms": None}
    if mode is not None:
        forget_compile_records()
        stage("compiling")
    first = call()
    if mode is not None:
        # torch.compile compiles on the first call: that call (Dynamo, AOTAutograd, Inductor, one run) is the
        # compile latency, and the call after it the first call of the compiled code.
        reply["compile_ms"] = first
        reply["notes"].append("compile_ms: torch.compile's first call (trace, Inductor compile, one execution), "
                              "with the sweep's own Inductor cache, empty when the sweep started")
        first = call()
    reply["first_call_ms"] = first
    stage("timing")
    for _ in range(measure_config["warmup_iters"]):
        call()
    reply["warmup_iters"] = measure_config["warmup_iters"]

    if program.reset:
        program.reset()
    call()
    torch.save(program.results(), request["results"])

    before = load_reading()
    reply["samples_ms"] = timer.run(program.setup, program.step, measure_config)
    after = load_reading()
    if before and after:
        reply["load"] = {"before": before, "after": after}
    reply["peak_memory_bytes"] = memory.bytes()
    reply["memory_kind"] = memory.kind
    if request.get("profile_trace"):
        reply["profile_pass_ms"] = profiled_pass(program, timer, device, measure_config["profile_iters"],
                                                 request["profile_trace"])
    if mode is not None:
        try:
            reply["compile_explained"] = compile_explained()
        except Exception as error:  # records another torch may lack: the measurement stands without them
            reply["notes"].append(f"torch.compile explained: not read ({first_line(error)})")
    return reply


def forget_compile_records():
    """Dynamo keeps its records for the process: each measurement's start from none (compile_explained())."""
    try:
        from torch._dynamo.utils import clear_compilation_metrics, graph_break_reasons
        clear_compilation_metrics()
        graph_break_reasons.clear()
    except (ImportError, AttributeError):
        pass  # compile_explained() then says what it could not read


def compile_explained():
    """What torch.compile did in this measurement, from Dynamo's own records: per-frame CompilationMetrics (the
    structured compile log's source) for the graphs, the recompiles with the guard that failed and the compile time
    split into Dynamo (tracing), AOTAutograd, Inductor (lowering, scheduling) and code generation with its compile;
    Dynamo's GraphCompileReasons for each graph break, with the user's line it broke at."""
    from torch._dynamo.utils import get_compilation_metrics, graph_break_reasons
    frames = [m for m in get_compilation_metrics() if not getattr(m, "is_runtime", False)]

    def total_ms(field):
        return sum(getattr(m, field, None) or 0 for m in frames) / 1e3

    whole, backend = total_ms("dynamo_cumulative_compile_time_us"), total_ms("aot_autograd_cumulative_compile_time_us")
    inductor, codegen = total_ms("inductor_cumulative_compile_time_us"), total_ms("inductor_code_gen_cumulative_compile_time_us")
    breaks, seen = [], set()
    for reason in graph_break_reasons:
        frame = reason.user_stack[-1] if reason.user_stack else None
        where = f"{os.path.basename(frame.filename)}:{frame.lineno} in {frame.name}" if frame else "?"
        title = str(reason.reason).strip().split("\n")[0][:200]
        if (title, where) not in seen:
            seen.add((title, where))
            breaks.append({"reason": title, "where": where})
    recompiles = [str(m.recompile_reason)[:300] for m in frames if getattr(m, "recompile_reason", None)]
    return {"graphs": sum(1 for m in frames if (getattr(m, "graph_op_count", 0) or 0) > 0),
            "graph_breaks": breaks[:20], "recompiles": recompiles[:20],
            "dynamic_shapes": any((getattr(m, "shape_env_guard_count", 0) or 0) > 0 for m in frames),
            "dynamo_ms": max(0.0, whole - backend), "aot_autograd_ms": max(0.0, backend - inductor),
            "inductor_ms": max(0.0, inductor - codegen), "codegen_ms": codegen}


def profiled_pass(program, timer, device, iterations, trace):
    """The profiled pass of core/src/engine/profiled_pass.cpp, after the timed iterations: each step inside a
    "compilescope::step" annotation that closes once the device has synchronised (core/src/trace_analysis.h reads the
    Chrome trace). Returns the pass's wall time in milliseconds, up to the trace written."""
    begin = time.perf_counter()
    activities = [torch.profiler.ProfilerActivity.CPU]
    if device == "cuda":
        activities.append(torch.profiler.ProfilerActivity.CUDA)
    timer.sync()
    with torch.profiler.profile(activities=activities) as profiler:
        for _ in range(iterations):
            if program.setup:
                program.setup()
            timer.sync()
            with torch.profiler.record_function("compilescope::step"):
                program.step()
                timer.sync()
    profiler.export_chrome_trace(trace)
    return (time.perf_counter() - begin) * 1e3


def first_line(error):
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0] if text else ''}"[:400]


def serve():
    protocol = sys.stdout
    sys.stdout = sys.stderr  # whatever torch or Inductor prints stays out of the protocol

    def emit(message):
        protocol.write(json.dumps(message) + "\n")
        protocol.flush()

    emit({"event": "ready", "torch": torch.__version__, "python": platform.python_version(),
          "executable": sys.executable})
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        try:
            reply = measure(request, lambda name: emit({"id": request.get("id"), "event": "stage", "stage": name}))
        except model_file.Unavailable as reason:
            reply = {"status": "unavailable", "message": str(reason)}
        except model_file.ModelFileError as error:  # already says the user's file and line
            reply = {"status": "failed", "message": str(error)[:600]}
        except Exception as error:  # a failing cell is recorded and the sweep goes on
            reply = {"status": "failed", "message": first_line(error)}
        finally:
            if torch.cuda.is_available():
                torch.cuda.empty_cache()
        reply["id"] = request.get("id")
        emit(reply)


def die_with_parent():
    """Ends this process when the CompileScope process that started it dies: a CLI that writes its reports and
    exits at once after Ctrl-C, or one killed outright, must not leave a compile running (Linux only)."""
    try:
        import ctypes
        import signal
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--serve", action="store_true", help="answer measurement requests on stdin (JSON lines)")
    args = parser.parse_args()
    if not args.serve:
        parser.error("run by compilescope-cli or the desktop application, with --serve; see the docstring")
    die_with_parent()
    serve()


if __name__ == "__main__":
    main()
