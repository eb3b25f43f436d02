"""ViT-B/16 (86M at 12 layers): transformers' ViTForImageClassification from its default configuration (16x16
patches, 1000 classes), random weights."""
import torch
from torch.nn import functional as F
from transformers import ViTConfig, ViTForImageClassification

AXES = {"batch": [1, 8], "image_size": [224], "layers": [12]}


def build(point, device, dtype):
    config = ViTConfig(image_size=point["image_size"], num_hidden_layers=point["layers"], num_labels=1000)
    model = ViTForImageClassification(config).to(device=device, dtype=dtype)
    size = point["image_size"]
    images = torch.randn(point["batch"], 3, size, size, device=device, dtype=dtype)
    return model, (images,)


def loss(output, inputs):
    """Cross-entropy against fixed random labels (torch is seeded before build)."""
    labels = torch.arange(output.logits.shape[0], device=output.logits.device) % output.logits.shape[1]
    return F.cross_entropy(output.logits.float(), labels)
