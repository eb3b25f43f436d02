"""BERT-base (110M at 12 layers): transformers' BertForMaskedLM from its default configuration, random weights."""
import torch
from torch.nn import functional as F
from transformers import BertConfig, BertForMaskedLM

AXES = {"batch": [1, 8], "seq_len": [128, 512], "layers": [12]}


def build(point, device, dtype):
    config = BertConfig(num_hidden_layers=point["layers"], max_position_embeddings=max(512, point["seq_len"]),
                        hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0)
    model = BertForMaskedLM(config).to(device=device, dtype=dtype)
    tokens = torch.randint(config.vocab_size, (point["batch"], point["seq_len"]), device=device)
    return model, (tokens,)


def loss(output, inputs):
    """Masked-LM cross-entropy with the input tokens as labels (every position: the cost of the full head)."""
    return F.cross_entropy(output.logits.flatten(0, 1).float(), inputs[0].flatten())
