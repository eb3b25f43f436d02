"""ResNet-50 (25.6M): transformers' ResNetForImageClassification from its default configuration (bottleneck blocks
3, 4, 6, 3), random weights. BatchNorm: running statistics in forward (eval), batch statistics in training."""
import torch
from torch.nn import functional as F
from transformers import ResNetConfig, ResNetForImageClassification

AXES = {"batch": [1, 16], "image_size": [224]}


def build(point, device, dtype):
    model = ResNetForImageClassification(ResNetConfig(num_labels=1000)).to(device=device, dtype=dtype)
    size = point["image_size"]
    images = torch.randn(point["batch"], 3, size, size, device=device, dtype=dtype)
    return model, (images,)


def loss(output, inputs):
    labels = torch.arange(output.logits.shape[0], device=output.logits.device) % output.logits.shape[1]
    return F.cross_entropy(output.logits.float(), labels)
