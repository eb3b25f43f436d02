"""A Llama-style decoder: transformers' LlamaForCausalLM (RMSNorm, RoPE, SwiGLU, grouped-query attention with
8 query and 2 key/value heads), 512 wide, 32000-token vocabulary, random weights."""
import torch
from torch.nn import functional as F
from transformers import LlamaConfig, LlamaForCausalLM

AXES = {"batch": [1, 4], "seq_len": [128, 512], "layers": [8]}


def build(point, device, dtype):
    config = LlamaConfig(vocab_size=32000, hidden_size=512, intermediate_size=1408, num_hidden_layers=point["layers"],
                         num_attention_heads=8, num_key_value_heads=2, max_position_embeddings=max(2048, point["seq_len"]),
                         use_cache=False)
    model = LlamaForCausalLM(config).to(device=device, dtype=dtype)
    tokens = torch.randint(config.vocab_size, (point["batch"], point["seq_len"]), device=device)
    return model, (tokens,)


def loss(output, inputs):
    tokens = inputs[0]
    return F.cross_entropy(output.logits[:, :-1].flatten(0, 1).float(), tokens[:, 1:].flatten())
