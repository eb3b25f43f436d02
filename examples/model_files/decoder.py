"""A GPT-style decoder (pre-norm blocks, causal scaled dot-product attention, GELU MLP, tied LM head)."""
import torch
from torch import nn
from torch.nn import functional as F

# batch and seq_len are swept; width and layers fixed at these defaults unless --axis changes them.
AXES = {"batch": [4, 8], "seq_len": [64, 256], "width": [128], "layers": [2]}
VOCAB, HEADS = 1024, 4


class Block(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(width), nn.LayerNorm(width)
        self.qkv, self.proj = nn.Linear(width, 3 * width), nn.Linear(width, width)
        self.mlp = nn.Sequential(nn.Linear(width, 4 * width), nn.GELU(), nn.Linear(4 * width, width))

    def forward(self, x):
        b, n, d = x.shape
        q, k, v = self.qkv(self.ln1(x)).view(b, n, 3, HEADS, d // HEADS).permute(2, 0, 3, 1, 4)
        attended = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        x = x + self.proj(attended.transpose(1, 2).reshape(b, n, d))
        return x + self.mlp(self.ln2(x))


class Decoder(nn.Module):
    def __init__(self, width, layers, context):
        super().__init__()
        self.embed, self.position = nn.Embedding(VOCAB, width), nn.Embedding(context, width)
        self.blocks = nn.ModuleList(Block(width) for _ in range(layers))
        self.ln = nn.LayerNorm(width)

    def forward(self, tokens):
        x = self.embed(tokens) + self.position(torch.arange(tokens.shape[1], device=tokens.device))
        for block in self.blocks:
            x = block(x)
        return self.ln(x) @ self.embed.weight.t()  # logits, with the embedding as the LM head


def build(point, device, dtype):
    model = Decoder(point["width"], point["layers"], point["seq_len"]).to(device=device, dtype=dtype)
    tokens = torch.randint(VOCAB, (point["batch"], point["seq_len"] + 1), device=device)
    return model, (tokens[:, :-1],)


def loss(logits, inputs):
    """Next-token cross-entropy; the targets are the inputs shifted by one (here: random tokens, fixed by the seed)."""
    tokens = inputs[0]
    return F.cross_entropy(logits[:, :-1].flatten(0, 1).float(), tokens[:, 1:].flatten())
