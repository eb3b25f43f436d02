#include "engine/torchscript_variant.h"
#include "engine/variant_registry.h"

#include <torch/csrc/jit/passes/tensorexpr_fuser.h>
#include <torch/csrc/jit/runtime/graph_executor.h>

#if __has_include(<torch/csrc/jit/codegen/fuser/interface.h>)
#include <torch/csrc/jit/codegen/fuser/interface.h>
#else
// Debian's libtorch-dev leaves this header out; the library exports the functions (1.13 and 2.x alike).
namespace torch::jit {
TORCH_API void overrideCanFuseOnCPU(bool value);
TORCH_API void overrideCanFuseOnGPU(bool value);
} // namespace torch::jit
#endif

#include <algorithm>
#include <map>
#include <sstream>
#include <thread>

namespace compilescope::engine {

namespace {

// The workloads of workloads.cpp, op for op, so that eager and TorchScript differ only in how they are executed.
// Aten builtins only: TorchScript compiled from C++ has no torch.nn.functional (and no math module, hence `scale`).
const char* const torchscript_source = R"JIT(
def sdpa(q: Tensor, k: Tensor, v: Tensor, future_mask: Optional[Tensor], scale: float) -> Tensor:
    scores = torch.matmul(q, k.transpose(-2, -1)) * scale
    if future_mask is not None:
        scores = scores.masked_fill(future_mask, float("-inf"))
    return torch.matmul(torch.softmax(scores, -1), v)

def attention(q: Tensor, k: Tensor, v: Tensor, future_mask: Optional[Tensor], scale: float) -> Tensor:
    return sdpa(q, k, v, future_mask, scale)

def linear(x: Tensor, weight: Tensor) -> Tensor:
    return torch.matmul(x, weight.t())

def rms_norm(x: Tensor, gain: Tensor) -> Tensor:
    xf = x.float()
    normalized = xf * torch.rsqrt(xf.pow(2).mean([-1], keepdim=True) + 1e-5)
    return normalized.to(x.dtype) * gain

def rope(x: Tensor, cos: Tensor, sin: Tensor) -> Tensor:
    even = x[..., 0::2]
    odd = x[..., 1::2]
    return torch.stack([even * cos - odd * sin, even * sin + odd * cos], -1).flatten(-2)

def multi_head_attention(x: Tensor, wq: Tensor, wk: Tensor, wv: Tensor, wo: Tensor, cos: Tensor, sin: Tensor,
                         future_mask: Tensor, scale: float, heads: int) -> Tensor:
    batch = x.size(0)
    seq_len = x.size(1)
    d_model = x.size(2)
    head_dim = d_model // heads
    q = rope(linear(x, wq).view([batch, seq_len, heads, head_dim]).transpose(1, 2), cos, sin)
    k = rope(linear(x, wk).view([batch, seq_len, heads, head_dim]).transpose(1, 2), cos, sin)
    v = linear(x, wv).view([batch, seq_len, heads, head_dim]).transpose(1, 2)
    out = sdpa(q, k, v, future_mask, scale)
    return linear(out.transpose(1, 2).reshape([batch, seq_len, d_model]), wo)

def swiglu(x: Tensor, w1: Tensor, w2: Tensor, w3: Tensor) -> Tensor:
    return linear(torch.silu(linear(x, w1)) * linear(x, w3), w2)

def logits(p: List[Tensor], tokens: Tensor, cos: Tensor, sin: Tensor, future_mask: Tensor, scale: float,
           heads: int) -> Tensor:
    x = torch.embedding(p[0], tokens)
    layers = (len(p) - 3) // 9
    for layer in range(layers):
        first = 1 + 9 * layer
        x = x + multi_head_attention(rms_norm(x, p[first]), p[first + 1], p[first + 2], p[first + 3], p[first + 4],
                                     cos, sin, future_mask, scale, heads)
        x = x + swiglu(rms_norm(x, p[first + 5]), p[first + 6], p[first + 7], p[first + 8])
    return linear(rms_norm(x, p[len(p) - 2]), p[len(p) - 1])

def loss(p: List[Tensor], tokens: Tensor, targets: Tensor, cos: Tensor, sin: Tensor, future_mask: Tensor,
         scale: float, heads: int) -> Tensor:
    log_probs = torch.log_softmax(logits(p, tokens, cos, sin, future_mask, scale, heads).float(), -1)
    return -log_probs.gather(-1, targets.unsqueeze(-1)).squeeze(-1).mean()
)JIT";

// sdpa() through aten::scaled_dot_product_attention, as fused_attention() in sdpa.cpp does it.
const char* const fused_sdpa_source = R"JIT(
def sdpa(q: Tensor, k: Tensor, v: Tensor, future_mask: Optional[Tensor], scale: float) -> Tensor:
    one_head = q.dim() == 3
    if one_head:
        q = q.unsqueeze(1)
        k = k.unsqueeze(1)
        v = v.unsqueeze(1)
    out = torch.scaled_dot_product_attention(q, k, v, None, 0.0, future_mask is not None, scale=scale)
    if one_head:
        out = out.squeeze(1)
    return out
)JIT";

/// The TorchScript source, its sdpa() swapped for fused_sdpa_source and its embedding for index_select when asked.
std::string script_source(bool fused_sdpa, bool capturable)
{
    std::string source = torchscript_source;
    if (capturable) {
        const std::string lookup = "x = torch.embedding(p[0], tokens)";
        source.replace(source.find(lookup), lookup.size(),
            "x = p[0].index_select(0, tokens.reshape([-1])).view([tokens.size(0), tokens.size(1), p[0].size(1)])");
    }
    if (fused_sdpa) {
        const size_t start = source.find("def sdpa(");
        const size_t end = source.find("def attention(");
        source.replace(start, end - start, std::string(fused_sdpa_source).substr(1) + "\n");
    }
    return source;
}

const char* const fusion_group_kinds[]
    = { "prim::TensorExprGroup", "prim::TensorExprDynamicGroup", "prim::FusionGroup", "prim::CudaFusionGroup" };

std::string first_line(const std::string& text)
{
    const size_t start = text.find_first_not_of(" \n");
    if (start == std::string::npos) {
        return "";
    }
    return text.substr(start, text.find('\n', start) - start);
}

struct FusionCensus {
    std::map<std::string, int> groups; ///< fusion group kind -> count
    int fused_ops = 0;
    int differentiable_graphs = 0;

    int group_count() const
    {
        int count = 0;
        for (const auto& entry : groups) {
            count += entry.second;
        }
        return count;
    }

    void visit(const torch::jit::Block* block)
    {
        for (const torch::jit::Node* node : block->nodes()) {
            const std::string kind = node->kind().toQualString();
            const bool fusion_group = std::find(std::begin(fusion_group_kinds), std::end(fusion_group_kinds), kind)
                != std::end(fusion_group_kinds);
            if (fusion_group) {
                ++groups[kind];
                const auto subgraph = node->g(torch::jit::attr::Subgraph);
                fused_ops += int(std::distance(subgraph->nodes().begin(), subgraph->nodes().end()));
                continue;
            }
            if (kind == "prim::DifferentiableGraph") {
                ++differentiable_graphs;
            }
            if (node->hasAttribute(torch::jit::attr::Subgraph) && kind != "prim::FallbackGraph") {
                visit(node->g(torch::jit::attr::Subgraph)->block());
            }
            for (const torch::jit::Block* inner : node->blocks()) {
                visit(inner);
            }
        }
    }

    std::string describe() const
    {
        const std::string differentiable = differentiable_graphs == 0 ? ""
                                                                      : " in " + std::to_string(differentiable_graphs)
                + " differentiable graph" + (differentiable_graphs == 1 ? "" : "s");
        if (groups.empty()) {
            return "no fusion groups" + differentiable;
        }
        std::ostringstream text;
        text << group_count() << " fusion group" << (group_count() == 1 ? "" : "s") << " (";
        bool first = true;
        for (const auto& entry : groups) {
            text << (first ? "" : ", ") << entry.first << " x" << entry.second;
            first = false;
        }
        text << "; " << fused_ops << " ops fused)" << differentiable;
        return text.str();
    }
};

FusionCensus census_of(const std::shared_ptr<torch::jit::Graph>& graph)
{
    FusionCensus census;
    if (graph) {
        census.visit(graph->block());
    }
    return census;
}

CpuFusionSupport probe_cpu_fusion()
{
    CpuFusionSupport support;
    // NNC fuses on the CPU only when single-threaded; the probe gets its own thread so that the caller's OpenMP
    // thread count is untouched, and restores the process default afterwards.
    std::thread prober([&support] {
        const int threads = at::get_num_threads();
        at::set_num_threads(1);
        torch::jit::overrideCanFuseOnCPU(true);
        try {
            auto unit = torch::jit::compile("def probe(x: Tensor) -> Tensor:\n    return (x * 2.0 + 1.0).relu() * x\n");
            torch::jit::Function& probe = unit->get_function("probe");
            torch::NoGradGuard no_grad;
            const torch::Tensor x = torch::ones({ 64 });
            for (int i = 0; i < 4; ++i) {
                probe({ x });
            }
            support.fuses = census_of(torch::jit::lastExecutedOptimizedGraph()).group_count() > 0;
            support.detail = support.fuses ? "NNC fused an elementwise chain on the CPU (when single-threaded)"
                                           : "NNC formed no fusion group on the CPU in a probe";
        } catch (const std::exception& error) {
            support.detail = "NNC cannot fuse on the CPU in this LibTorch (probe: " + first_line(error.what())
                + "; it needs an LLVM-enabled build)";
        }
        torch::jit::overrideCanFuseOnCPU(support.fuses);
        at::set_num_threads(threads);
    });
    prober.join();
    return support;
}

/// Calls a compiled function; remembers the optimized graph it ran while `recording` (for inspect()).
struct ScriptFunction {
    std::shared_ptr<torch::jit::CompilationUnit> unit;
    torch::jit::Function* function = nullptr;
    std::shared_ptr<bool> recording;
    std::shared_ptr<std::shared_ptr<torch::jit::Graph>> last_graph;

    torch::Tensor operator()(std::vector<c10::IValue> arguments) const
    {
        torch::Tensor result = (*function)(std::move(arguments)).toTensor();
        if (*recording) {
            *last_graph = torch::jit::lastExecutedOptimizedGraph();
        }
        return result;
    }
};

c10::IValue optional_tensor(const torch::Tensor& tensor)
{
    return tensor.defined() ? c10::IValue(tensor) : c10::IValue();
}

c10::IValue tensor_list(const std::vector<torch::Tensor>& tensors)
{
    c10::List<torch::Tensor> list;
    list.reserve(tensors.size());
    for (const torch::Tensor& tensor : tensors) {
        list.push_back(tensor);
    }
    return c10::IValue(list);
}

std::vector<c10::IValue> model_arguments(
    const std::vector<torch::Tensor>& parameters, const PhaseInputs& in, bool with_targets)
{
    std::vector<c10::IValue> arguments { tensor_list(parameters), in.tokens };
    if (with_targets) {
        arguments.emplace_back(in.targets);
    }
    arguments.insert(
        arguments.end(), { in.rope_cos, in.rope_sin, in.future_mask, in.scale, c10::IValue(in.cell.model.num_heads) });
    return arguments;
}

/// Why no fusion group formed, where the cause is known; empty otherwise.
std::string no_fusion_reason(const PhaseInputs& inputs)
{
    if (inputs.cell.device != Device::cpu) {
        return "";
    }
    const CpuFusionSupport& support = torchscript_cpu_fusion();
    if (!support.fuses) {
        return support.detail;
    }
    if (at::get_num_threads() > 1) {
        return "NNC fuses on the CPU only when single-threaded (threads = " + std::to_string(at::get_num_threads())
            + ")";
    }
    return "";
}
std::vector<std::string> fusion_notes(const PhaseInputs& inputs, const std::shared_ptr<torch::jit::Graph>& forward,
    const std::shared_ptr<torch::jit::Graph>& last)
{
    const bool has_backward = inputs.phase != Phase::forward;
    const FusionCensus forward_census = census_of(forward);
    std::string text = "forward graph: " + forward_census.describe();
    int groups = forward_census.group_count();
    if (has_backward) {
        if (last && last != forward) {
            const FusionCensus backward_census = census_of(last);
            groups += backward_census.group_count();
            text += "; backward graph: " + backward_census.describe();
        } else if (forward_census.differentiable_graphs == 0) {
            text += "; no differentiable graph formed, so backward runs op by op through autograd";
        } else {
            text += "; backward graph not inspected (autograd ran it on another thread)";
        }
    }
    if (groups == 0) {
        const std::string reason = no_fusion_reason(inputs);
        return { "TorchScript: no fusion groups formed" + (reason.empty() ? "" : " (" + reason + ")") + "; " + text };
    }
    return { "TorchScript fusion: " + text };
}

} // namespace

TorchScriptMath torchscript_math(const PhaseInputs& inputs, bool fused_sdpa, bool capturable)
{
    torchscript_cpu_fusion();
    torch::jit::setTensorExprFuserEnabled(true);
    torch::jit::overrideCanFuseOnGPU(true);

    auto unit = torch::jit::compile(script_source(fused_sdpa, capturable));
    auto recording = std::make_shared<bool>(false);
    auto last_graph = std::make_shared<std::shared_ptr<torch::jit::Graph>>();
    auto function = [&](const char* name) {
        return ScriptFunction { unit, &unit->get_function(name), recording, last_graph };
    };

    TorchScriptMath script;
    script.math.attention = [attention = function("attention")](const PhaseInputs& in) {
        return attention({ in.q, in.k, in.v, optional_tensor(in.future_mask), in.scale });
    };
    script.math.logits = [logits = function("logits")](const std::vector<torch::Tensor>& parameters,
                             const PhaseInputs& in) { return logits(model_arguments(parameters, in, false)); };
    script.math.loss = [loss = function("loss")](const std::vector<torch::Tensor>& parameters, const PhaseInputs& in) {
        return loss(model_arguments(parameters, in, true));
    };
    // The profiling executor records shapes for getNumProfiledRuns() calls, optimizes on the next one
    // (the backward graph likewise, one call later), so the timed region starts after both.
    script.min_warmup_iters = int(torch::jit::getNumProfiledRuns()) + 1;
    script.inspect = [recording, last_graph, &inputs](const std::function<void()>& work) {
        *recording = true;
        work();
        *recording = false;
        return fusion_notes(inputs, *last_graph, torch::jit::lastExecutedOptimizedGraph());
    };
    return script;
}

namespace {

class TorchScriptVariant : public Variant {
public:
    std::string name() const override { return torchscript_variant; }
    std::string description() const override
    {
        return "the same math as TorchScript (torch::jit::compile), run by the profiling graph executor with its "
               "fusers enabled";
    }

    Availability availability(Device device) const override
    {
        Availability availability = device_availability(device);
        if (availability.available && device == Device::cpu && !torchscript_cpu_fusion().fuses) {
            availability.reason = "no CPU fusion: " + torchscript_cpu_fusion().detail + "; runs unfused";
        }
        return availability;
    }

    bool compiles() const override { return true; }

    PhaseProgram build(const PhaseInputs& inputs) const override
    {
        TorchScriptMath script = torchscript_math(inputs, false, false);
        PhaseProgram program = build_phase_program(inputs, std::move(script.math));
        program.min_warmup_iters = script.min_warmup_iters;
        program.inspect = [setup = program.setup, step = program.step, inspect = script.inspect] {
            return inspect([&] {
                if (setup) {
                    setup();
                }
                step();
            });
        };
        return program;
    }
};

} // namespace

const CpuFusionSupport& torchscript_cpu_fusion()
{
    static const CpuFusionSupport support = probe_cpu_fusion();
    return support;
}

std::shared_ptr<const Variant> make_torchscript_variant()
{
    return std::make_shared<TorchScriptVariant>();
}

} // namespace compilescope::engine
