"""A mixture-of-experts block: transformers' MixtralSparseMoeBlock (8 SwiGLU experts, top-2 routing), 512 wide,
random weights. Which experts a token goes to depends on the data: a test of how torch.compile handles routing."""
import torch
from transformers import MixtralConfig
from transformers.models.mixtral.modeling_mixtral import MixtralSparseMoeBlock

AXES = {"batch": [1, 8], "seq_len": [128, 512], "experts": [8]}


def build(point, device, dtype):
    config = MixtralConfig(hidden_size=512, intermediate_size=1408, num_local_experts=point["experts"],
                           num_experts_per_tok=2)
    config._experts_implementation = "eager"  # a block on its own: no model picks its experts' implementation
    block = MixtralSparseMoeBlock(config)
    # A block on its own gets no PreTrainedModel's weight initialisation: its parameters are torch.empty's memory
    # (NaN, 1e34), different in every process. Initialise them as the model would, from the seeded generator.
    with torch.no_grad():
        for parameter in block.parameters():
            parameter.normal_(0.0, config.initializer_range)
    block = block.to(device=device, dtype=dtype)
    hidden = torch.randn(point["batch"], point["seq_len"], config.hidden_size, device=device, dtype=dtype)
    return block, (hidden,)


def loss(output, inputs):
    return output.float().pow(2).mean()
