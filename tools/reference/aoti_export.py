#!/usr/bin/env python3
"""CompileScope's AOTInductor exporter: turns a workload at given shapes, dtype and device into AOTInductor packages
that the C++ variant aot-inductor loads with torch::inductor::AOTIModelPackageLoader.

The C++ side (core/src/engine/aoti_exporter.cpp) runs this script with the Python that owns its LibTorch:
    aoti_export.py SPEC.json
SPEC lists the packages to make: {"exporter_version": 1, "packages": [PACKAGE, ...]}, each
    {"directory": "/cache/.../attention-forward-...", "workload": "attention", "phase": "forward", "device": "cpu",
     "dtype": "fp32", "scale": 0.25, "heads": 1, "threads": 1,
     "inputs": [{"name": "q", "shape": [8, 256, 64], "dtype": "float32"}, ...]}
Inputs are named as in the C++ PhaseInputs: attention "q", "k", "v", "grad_out", "future_mask"; the model "p0".."pN"
(parameters in the C++ layout), "tokens", "targets", "rope_cos", "rope_sin", "future_mask". Every tensor, the
model's weights included, is a graph input: a package depends on shapes only, and eager's tensors are passed at
run time.

Each package is a directory holding one .pt2 per graph and meta.json, which says what each graph takes and returns:
    attention forward            forward:  q, k, v[, future_mask] -> output
    attention forward_backward   joint:    q, k, v[, future_mask], grad_out -> output, grad_q, grad_k, grad_v
    attention backward           forward:  q, k, v[, future_mask] -> output, saved 0..n
                                 backward: saved 0..n, grad_out -> grad_q, grad_k, grad_v
    transformer_lm forward       forward:  p0..pN, tokens, rope_cos, rope_sin, future_mask -> logits
    transformer_lm train_step    joint:    p0..pN, tokens, targets, rope_cos, rope_sin, future_mask
                                           -> loss, grad p0..grad pN   (the optimizer runs in C++)
Joint graphs are traced with make_fx through torch.autograd.grad, then exported; the backward phase splits the
joint graph with the partitioner torch.compile uses (min-cut rematerialization), so its backward graph is the one
torch.compile's backward runs. The directory is written under a temporary name and renamed when complete.

Each finished package is one JSON line on stdout:
    {"directory": ..., "status": "ok", "export_ms": ..., "compile_ms": ..., "check_ms": ...}
or "status": "unsupported" (a phase this exporter cannot handle) / "failed", with "message". The first line is
{"event": "ready", "torch": ..., "python": ...}. Before writing a package the script loads it and runs it once, so a
package whose code crashes on load kills this child, never the sweep.
"""
import json
import os
import platform
import shutil
import sys
import time

import torch
from torch.fx.experimental.proxy_tensor import make_fx

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_compile_reference import (  # noqa: E402
    attention, die_with_parent, first_line, model_loss, transformer_logits)

EXPORTER_VERSION = 1
DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16, "int64": torch.int64,
          "bool": torch.bool}


class Unsupported(Exception):
    """A workload or phase this exporter cannot turn into a package."""


class Graph:
    """One exported graph: what it is called, the names of its inputs and outputs, and its example inputs."""

    def __init__(self, name, module, inputs, outputs, args):
        self.name, self.module, self.inputs, self.outputs, self.args = name, module, inputs, outputs, args


def example_inputs(package):
    device = package["device"]
    tensors = {}
    for spec in package["inputs"]:
        dtype = DTYPES[spec["dtype"]]
        if dtype.is_floating_point:
            tensors[spec["name"]] = torch.randn(spec["shape"], dtype=dtype, device=device)
        else:
            tensors[spec["name"]] = torch.zeros(spec["shape"], dtype=dtype, device=device)
    return tensors


class Call(torch.nn.Module):
    """A function of flat tensor arguments as a module, for torch.export."""

    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, *args):
        return self.fn(*args)


def attention_graphs(package, t):
    names = ["q", "k", "v"] + (["future_mask"] if "future_mask" in t else [])
    scale, mask = package["scale"], t.get("future_mask")
    args = [t[n] for n in names]
    phase = package["phase"]
    if phase == "forward":
        fn = (lambda q, k, v, m: attention(q, k, v, m, scale)) if mask is not None else \
             (lambda q, k, v: attention(q, k, v, None, scale))
        return [Graph("forward", Call(fn), names, ["output"], args)]
    if phase not in ("backward", "forward_backward"):
        raise Unsupported(f"attention has no phase {phase}")

    def loss_fn(leaves, *rest):
        return attention(*leaves, rest[0] if rest else None, scale)

    grad_names = ["grad_q", "grad_k", "grad_v"]
    grad_out = t["grad_out"]
    if phase == "forward_backward":
        gm = make_fx(lambda *a: _joint_flat(loss_fn, a), tracing_mode="fake")(*args, grad_out)
        return [Graph("joint", gm, names + ["grad_out"], ["output"] + grad_names, args + [grad_out])]

    from torch._functorch.partitioners import min_cut_rematerialization_partition

    def joint(primals, tangents):  # the argument names become the placeholder names the partitioner looks for
        return _joint_split(loss_fn, primals, tangents)

    gm = make_fx(joint, tracing_mode="fake")(args, [grad_out])
    fwd, bwd = min_cut_rematerialization_partition(gm, None, num_fwd_outputs=1)
    saved = fwd.graph.find_nodes(op="output")[0].args[0][1:]
    saved_names = [f"saved {i}" for i in range(len(saved))]
    return [Graph("forward", fwd, names, ["output"] + saved_names, args),
            Graph("backward", _drop_none_outputs(bwd), saved_names + ["grad_out"], grad_names, None)]


def _joint_flat(loss_fn, a):
    """(q, k, v[, mask], grad_out) -> (output, grad_q, grad_k, grad_v)."""
    q, k, v, rest, grad_out = a[0], a[1], a[2], list(a[3:-1]), a[-1]
    leaves = [x.detach().requires_grad_(True) for x in (q, k, v)]
    with torch.enable_grad():
        out = loss_fn(leaves, *rest)
        grads = torch.autograd.grad(out, leaves, grad_out)
    return (out, *grads)


def _joint_split(loss_fn, primals, tangents):
    """The AOTAutograd layout: primals (q, k, v[, mask]) and tangents (grad_out) -> ((output,), gradients)."""
    leaves = [x.detach().requires_grad_(True) for x in primals[:3]]
    with torch.enable_grad():
        out = loss_fn(leaves, *primals[3:])
        grads = torch.autograd.grad(out, leaves, tangents[0])
    return (out,), list(grads) + [None] * (len(primals) - 3)


def _drop_none_outputs(gm):
    """The partitioned backward returns None for inputs without a gradient (the mask); a package returns tensors."""
    output = gm.graph.find_nodes(op="output")[0]
    output.args = (tuple(a for a in output.args[0] if a is not None),)
    gm.graph.lint()
    gm.recompile()
    return gm


def model_graphs(package, t):
    count = sum(1 for name in t if name.startswith("p") and name[1:].isdigit())
    params = [t[f"p{i}"] for i in range(count)]
    pnames = [f"p{i}" for i in range(count)]
    scale, heads = package["scale"], package["heads"]
    phase = package["phase"]
    if phase == "forward":
        names = pnames + ["tokens", "rope_cos", "rope_sin", "future_mask"]

        def logits(*a):
            return transformer_logits(a[:count], *a[count:], scale, heads)

        return [Graph("forward", Call(logits), names, ["logits"], [t[n] for n in names])]
    if phase != "train_step":
        raise Unsupported(f"transformer_lm has no phase {phase}")
    names = pnames + ["tokens", "targets", "rope_cos", "rope_sin", "future_mask"]

    def loss_and_grads(*a):
        leaves = [x.detach().requires_grad_(True) for x in a[:count]]
        tokens, targets, cos, sin, mask = a[count:]
        with torch.enable_grad():
            loss = model_loss(transformer_logits(leaves, tokens, cos, sin, mask, scale, heads), targets)
            grads = torch.autograd.grad(loss, leaves)
        return (loss, *grads)

    args = [t[n] for n in names]
    gm = make_fx(loss_and_grads, tracing_mode="fake")(*args)
    return [Graph("joint", gm, names, ["loss"] + [f"grad {n}" for n in pnames], args)]


def make_package(package):
    if package["workload"] == "attention":
        graphs_of = attention_graphs
    elif package["workload"] == "transformer_lm":
        graphs_of = model_graphs
    else:
        raise Unsupported(f"unknown workload {package['workload']!r}")
    device = package["device"]
    if device == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = package["dtype"] == "tf32"
        torch.backends.cudnn.allow_tf32 = package["dtype"] == "tf32"
    if package.get("threads", 0) > 0:
        torch.set_num_threads(package["threads"])
    t = example_inputs(package)

    begin = time.perf_counter()
    graphs = graphs_of(package, t)
    exported = []
    for graph in graphs:
        args = graph.args
        if args is None:  # the backward of a split graph runs on what the forward saved
            saved = exported[-1][1].module()(*exported[-1][2])[1:]
            args = list(saved) + [t["grad_out"]]
        program = torch.export.export(graph.module, tuple(args))
        exported.append((graph, program, args))
    export_ms = (time.perf_counter() - begin) * 1e3

    final = package["directory"]
    work = f"{final}.tmp-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    begin = time.perf_counter()
    for graph, program, _ in exported:
        torch._inductor.aoti_compile_and_package(program, package_path=os.path.join(work, graph.name + ".pt2"))
    compile_ms = (time.perf_counter() - begin) * 1e3

    # Load and run each graph once here, in this child: a package that crashes on load never reaches the sweep.
    begin = time.perf_counter()
    for graph, _, args in exported:
        runner = torch._inductor.aoti_load_package(os.path.join(work, graph.name + ".pt2"))
        outputs = runner(*args)
        outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
        if len(outputs) != len(graph.outputs):
            raise RuntimeError(f"graph {graph.name} returned {len(outputs)} tensors, expected {len(graph.outputs)}")
    check_ms = (time.perf_counter() - begin) * 1e3

    meta = {"exporter_version": EXPORTER_VERSION, "torch": torch.__version__, "spec": package,
            "graphs": [{"name": g.name, "file": g.name + ".pt2", "inputs": g.inputs, "outputs": g.outputs}
                       for g, _, _ in exported],
            "export_ms": export_ms, "compile_ms": compile_ms, "check_ms": check_ms,
            "created": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    with open(os.path.join(work, "meta.json"), "w") as f:
        json.dump(meta, f, indent=1)
    try:
        os.rename(work, final)
    except OSError:  # another exporter finished the same package first: keep its copy
        shutil.rmtree(work, ignore_errors=True)
        if not os.path.isdir(final):
            raise
    return {"status": "ok", "export_ms": export_ms, "compile_ms": compile_ms, "check_ms": check_ms}


def main():
    if len(sys.argv) != 2 or sys.argv[1].startswith("-"):
        sys.exit("usage: aoti_export.py SPEC.json (run by compilescope-cli or the desktop application; see the "
                 "docstring)")
    die_with_parent()
    # Packages are code: what this process makes (package folders, Inductor's cache) is the user's alone, whatever
    # the umask it was started with.
    os.umask(0o077)
    protocol = sys.stdout
    sys.stdout = sys.stderr  # whatever torch or Inductor prints stays out of the protocol

    def emit(message):
        protocol.write(json.dumps(message) + "\n")
        protocol.flush()

    with open(sys.argv[1]) as f:
        spec = json.load(f)
    emit({"event": "ready", "torch": torch.__version__, "python": platform.python_version(),
          "exporter_version": EXPORTER_VERSION})
    if spec.get("exporter_version") != EXPORTER_VERSION:
        sys.exit(f"the spec is for exporter version {spec.get('exporter_version')}, this is {EXPORTER_VERSION}")
    for package in spec["packages"]:
        try:
            reply = make_package(package)
        except Unsupported as error:
            reply = {"status": "unsupported", "message": str(error)}
        except Exception as error:  # one failing package is recorded; the others go on
            reply = {"status": "failed", "message": first_line(error)}
        reply["directory"] = package["directory"]
        emit(reply)


if __name__ == "__main__":
    main()
