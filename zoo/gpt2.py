"""GPT-2 (124M at 12 layers): transformers' GPT2LMHeadModel from its default configuration, random weights."""
import torch
from torch.nn import functional as F
from transformers import GPT2Config, GPT2LMHeadModel

# The real model at 12 layers; fewer layers (--axis layers=2) for a first look on a small CPU.
AXES = {"batch": [1, 4], "seq_len": [128, 512], "layers": [12]}


def build(point, device, dtype):
    # Dropout off: every variant must compute the same tensors from the same weights. No cache: one full step.
    config = GPT2Config(n_layer=point["layers"], n_positions=max(1024, point["seq_len"]), resid_pdrop=0.0,
                        embd_pdrop=0.0, attn_pdrop=0.0, use_cache=False)
    model = GPT2LMHeadModel(config).to(device=device, dtype=dtype)
    tokens = torch.randint(config.vocab_size, (point["batch"], point["seq_len"]), device=device)
    return model, (tokens,)


def loss(output, inputs):
    """Next-token cross-entropy over the random tokens."""
    tokens = inputs[0]
    return F.cross_entropy(output.logits[:, :-1].flatten(0, 1).float(), tokens[:, 1:].flatten())
