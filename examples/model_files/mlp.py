"""A two-layer MLP with GELU: the smallest complete model file (docs/model-files.md)."""
import torch

# The sweep's axes: names and default values. A literal dict, read without running this file.
AXES = {"batch": [16, 64], "width": [128, 512]}


def build(point, device, dtype):
    """The module and its inputs at one point of the axes; the sweep has seeded torch, so weights repeat."""
    width = point["width"]
    model = torch.nn.Sequential(
        torch.nn.Linear(width, 4 * width),
        torch.nn.GELU(),
        torch.nn.Linear(4 * width, width),
    ).to(device=device, dtype=dtype)
    x = torch.randn(point["batch"], width, device=device, dtype=dtype)
    return model, (x,)


def loss(output, inputs):
    """forward_backward and train_step minimise this (computed in fp32)."""
    return output.float().pow(2).mean()
