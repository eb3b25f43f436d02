#!/usr/bin/env python3
"""CompileScope model files: the user's own PyTorch module, swept over the file's own size axes.

The contract (docs/model-files.md has it in full, with examples):

    AXES = {"batch": [8, 32], "width": [256, 1024]}   # a literal dict: axis name -> default values (integers)

    def build(point, device, dtype):                  # point: {"batch": 8, "width": 256}
        ...                                           # random weights: the sweep has seeded torch
        return module, inputs                         # module(*inputs); inputs a tensor or a tuple of tensors

    def loss(output, inputs):                         # optional: forward_backward and train_step need it
        return output.float().pow(2).mean()

Two uses:
- `model_file.py --describe FILE` prints the file's axes and functions as one JSON line, read from its syntax tree
  (Python's ast) without running a line of it: opening or configuring a sweep never runs the user's code.
- torch_compile_reference.py imports this module to measure a model file's cells (programs()).
"""
import ast
import json
import os
import sys

AXES_NAME, BUILD_NAME, LOSS_NAME = "AXES", "build", "loss"


class ModelFileError(Exception):
    """A problem with the user's file, said with its file and line."""


# ---- describe: the file's syntax tree, never its code --------------------------------------------------------------

def describe(path):
    try:
        with open(path, encoding="utf-8") as source:
            text = source.read()
    except (OSError, UnicodeDecodeError) as error:
        raise ModelFileError(f"cannot read the model file {path}: {error}") from None
    try:
        tree = ast.parse(text, filename=path)
    except SyntaxError as error:
        raise ModelFileError(f"{path}, line {error.lineno}: SyntaxError: {error.msg}") from None
    axes, functions = None, {}
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == AXES_NAME for t in targets):
                axes = literal_axes(node.value, path)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            functions[node.name] = node
    if axes is None:
        raise ModelFileError(f"{path}: defines no {AXES_NAME} = {{\"name\": [values], ...}} at its top level")
    if BUILD_NAME not in functions:
        raise ModelFileError(f"{path}: defines no function {BUILD_NAME}(point, device, dtype)")
    build = functions[BUILD_NAME]
    if len(build.args.args) + len(build.args.posonlyargs) < 3 and build.args.vararg is None:
        raise ModelFileError(f"{path}, line {build.lineno}: {BUILD_NAME}() must take (point, device, dtype)")
    doc = ast.get_docstring(tree) or ""
    return {"axes": [{"name": name, "values": values} for name, values in axes],
            "has_loss": LOSS_NAME in functions, "description": doc.strip().split("\n")[0][:200]}


def literal_axes(node, path):
    where = f"{path}, line {node.lineno}"
    try:
        value = ast.literal_eval(node)
    except ValueError:
        raise ModelFileError(f"{where}: {AXES_NAME} must be a literal dict of integer lists "
                             "(no names or calls: the file is not run to read it)") from None
    if not isinstance(value, dict) or not value:
        raise ModelFileError(f"{where}: {AXES_NAME} must be a non-empty dict, got {type(value).__name__}")
    axes = []
    for name, values in value.items():
        if not isinstance(name, str) or not name.isidentifier():
            raise ModelFileError(f"{where}: axis name {name!r} is not a Python identifier")
        if isinstance(values, int) and not isinstance(values, bool):
            values = [values]
        if (not isinstance(values, (list, tuple)) or not values
                or any(not isinstance(v, int) or isinstance(v, bool) for v in values)):
            raise ModelFileError(f"{where}: axis {name!r} must list integers, got {values!r}"[:300])
        axes.append((name, list(values)))
    return axes


# ---- running: the module and the programs of each phase -------------------------------------------------------------

_loaded = {}


def load(path):
    """The user's module, imported once per (path, modification time). Its folder goes first on sys.path, so that it
    can import its neighbours as a script next to them would. No bytecode is written next to it."""
    stamp = os.stat(path).st_mtime_ns
    if _loaded.get(path, (None, None))[0] == stamp:
        return _loaded[path][1]
    import importlib.util
    sys.dont_write_bytecode = True
    folder = os.path.dirname(path)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    spec = importlib.util.spec_from_file_location("compilescope_model_file", path)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as error:
        raise ModelFileError(user_error(error, path, "importing it")) from None
    if not callable(getattr(module, BUILD_NAME, None)):
        raise ModelFileError(f"{path}: defines no function {BUILD_NAME}(point, device, dtype)")
    _loaded[path] = (stamp, module)
    return module


def user_error(error, path, doing):
    """"ValueError: width must be even (model.py, line 12, in build)": the error, and the innermost frame of the user's
    file (a SyntaxError carries its own line)."""
    import traceback
    text = str(error).strip().splitlines()
    message = f"{type(error).__name__}: {text[0] if text else ''}"[:300]
    where = None
    if isinstance(error, SyntaxError) and error.filename:
        where = f"{os.path.basename(error.filename)}, line {error.lineno}"
    for frame in traceback.extract_tb(error.__traceback__):
        if os.path.realpath(frame.filename) == os.path.realpath(path):
            where = f"{os.path.basename(frame.filename)}, line {frame.lineno}, in {frame.name}"
    return f"the model file failed {doing}: {message}" + (f" ({where})" if where else "")


def build(path, point, device, dtype, seed):
    import torch
    module = load(path)
    torch.manual_seed(seed)
    try:
        built = getattr(module, BUILD_NAME)(dict(point), torch.device(device), dtype)
    except Exception as error:
        raise ModelFileError(user_error(error, path, f"in {BUILD_NAME}({point})")) from None
    if not isinstance(built, (tuple, list)) or len(built) != 2 or not isinstance(built[0], torch.nn.Module):
        raise ModelFileError(f"{path}: {BUILD_NAME}() must return (module, inputs), a torch.nn.Module and its "
                             f"inputs; got {type(built).__name__}")
    model, inputs = built
    inputs = tuple(inputs) if isinstance(inputs, (tuple, list)) else (inputs,)
    for name, tensor in list(model.named_parameters()) + list(model.named_buffers()):
        if tensor.device.type != torch.device(device).type:
            raise ModelFileError(f"{path}: {BUILD_NAME}() returned {name} on {tensor.device}, not on {device}: "
                                 "make the module on the device it is given")
    return model, inputs, getattr(module, LOSS_NAME, None)


def tensors_of(value, prefix, into):
    """Every tensor in a model's output (a tensor, tuple, list or dict, as HuggingFace's outputs are), named by where
    it sits: "output", "output[0]", "output.logits"."""
    import torch
    if isinstance(value, torch.Tensor):
        into[prefix] = value.detach().clone()
    elif isinstance(value, (tuple, list)):
        for i, item in enumerate(value):
            tensors_of(item, f"{prefix}[{i}]", into)
    elif isinstance(value, dict):
        for key, item in value.items():
            tensors_of(item, f"{prefix}.{key}", into)
    return into


def programs(request, compiled, program_class, adamw):
    """The Program (torch_compile_reference.py) of one model-file measurement: the module built afresh at the cell's
    point with the sweep's seed, so every variant starts from the same weights and inputs."""
    import torch
    path, phase, device = request["model_file"], request["phase"], request["device"]
    dtype = {"fp32": torch.float32, "tf32": torch.float32, "bf16": torch.bfloat16, "fp16": torch.float16}[
        request["dtype"]]
    model, inputs, loss = build(path, request["point"], device, dtype, request["seed"])
    fn = compiled(model, request["mode"], device)
    state = {}

    def run():
        try:
            return fn(*inputs)
        except Exception as error:
            raise ModelFileError(user_error(error, path, "in its module's forward")) from None

    def scalar_loss(output):
        value = loss(output, inputs)
        if not isinstance(value, torch.Tensor) or value.numel() != 1:
            raise ModelFileError(f"{path}: {LOSS_NAME}() must return a one-element tensor, got "
                                 f"{type(value).__name__}")
        return value

    if phase == "forward":
        model.eval()

        def forward():
            with torch.no_grad():
                state["output"] = run()

        return program_class(forward, lambda: tensors_of(state["output"], "output", {}))
    if loss is None:
        raise Unavailable(f"the model file defines no {LOSS_NAME}(output, inputs): {phase} needs one "
                          "(docs/model-files.md)")
    model.train()
    named = [(name, p) for name, p in model.named_parameters() if p.requires_grad]

    def gradients():
        tensors = {"loss": state["loss"].detach().clone()}
        for name, parameter in named:
            if parameter.grad is not None:
                tensors["grad " + name] = parameter.grad.clone()
        return tensors

    if phase == "forward_backward":
        def forward_backward():
            for _, parameter in named:
                parameter.grad = None
            state["loss"] = scalar_loss(run())
            state["loss"].backward()

        return program_class(forward_backward, gradients)
    if phase != "train_step":
        raise ValueError(f"a model file has no phase {phase}")

    initial = {name: tensor.detach().clone() for name, tensor in model.state_dict().items()}

    def new_optimizer():
        state["optimizer"] = torch.optim.AdamW([p for _, p in named], **adamw)

    def reset():
        model.load_state_dict(initial)
        for _, parameter in named:
            parameter.grad = None
        new_optimizer()

    def train_step():
        state["optimizer"].zero_grad(set_to_none=True)
        state["loss"] = scalar_loss(run())
        state["loss"].backward()
        state["optimizer"].step()

    new_optimizer()
    return program_class(train_step, gradients, reset=reset,
                         notes=["optimizer: torch.optim.AdamW, default multi-tensor (foreach) implementation, "
                                "not compiled; checked: the loss and the gradients"])


class Unavailable(Exception):
    """The measurement cannot run for this file (it lacks what the phase needs): not a failure."""


def main():
    if len(sys.argv) != 3 or sys.argv[1] != "--describe":
        sys.exit("usage: model_file.py --describe FILE (run by compilescope; see docs/model-files.md)")
    try:
        print(json.dumps(describe(sys.argv[2])))
    except ModelFileError as error:
        print(json.dumps({"error": str(error)}))


if __name__ == "__main__":
    main()
