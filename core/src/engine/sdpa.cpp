#include "engine/sdpa.h"

#include "engine/variant_registry.h"

#include "compilescope/engine/variants.h"

#include <ATen/SDPBackend.h>

namespace compilescope::engine {

Availability sdpa_availability(Device device)
{
    return device_availability(device);
}

namespace {

torch::Tensor as_heads(const torch::Tensor& x)
{
    return x.dim() == 3 ? x.unsqueeze(1) : x;
}

const char* kernel_name(int64_t choice)
{
    switch (static_cast<at::SDPBackend>(choice)) {
    case at::SDPBackend::math:
        return "math";
    case at::SDPBackend::flash_attention:
        return "flash_attention";
    case at::SDPBackend::efficient_attention:
        return "efficient_attention";
    case at::SDPBackend::cudnn_attention:
        return "cudnn_attention";
    default:
        return "unknown";
    }
}

/// Collects LibTorch's warnings, which is where SDPA says why a backend cannot run.
class WarningCollector : public c10::WarningHandler {
public:
    void process(const c10::Warning& warning) override { m_text += (m_text.empty() ? "" : " ") + warning.msg(); }
    const std::string& text() const { return m_text; }

private:
    std::string m_text;
};

} // namespace

torch::Tensor fused_attention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
    const torch::Tensor& future_mask, double scale)
{
    const torch::Tensor out = at::scaled_dot_product_attention(
        as_heads(q), as_heads(k), as_heads(v), {}, 0.0, future_mask.defined(), scale);
    return q.dim() == 3 ? out.squeeze(1) : out;
}

SdpaBackendScope::SdpaBackendScope(SdpaBackend backend)
    : m_flash(at::globalContext().userEnabledFlashSDP())
    , m_mem_efficient(at::globalContext().userEnabledMemEfficientSDP())
    , m_math(at::globalContext().userEnabledMathSDP())
    , m_cudnn(at::globalContext().userEnabledCuDNNSDP())
{
    const bool all = backend == SdpaBackend::auto_select;
    at::globalContext().setSDPUseFlash(all || backend == SdpaBackend::flash);
    at::globalContext().setSDPUseMemEfficient(all || backend == SdpaBackend::mem_efficient);
    at::globalContext().setSDPUseMath(all || backend == SdpaBackend::math);
    at::globalContext().setSDPUseCuDNN(all || backend == SdpaBackend::cudnn);
}

SdpaBackendScope::~SdpaBackendScope()
{
    at::globalContext().setSDPUseFlash(m_flash);
    at::globalContext().setSDPUseMemEfficient(m_mem_efficient);
    at::globalContext().setSDPUseMath(m_math);
    at::globalContext().setSDPUseCuDNN(m_cudnn);
}

std::string chosen_sdpa_kernel(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v, bool causal,
    double scale, SdpaBackend backend)
{
    if (q.device().is_cpu() && (backend == SdpaBackend::mem_efficient || backend == SdpaBackend::cudnn)) {
        // LibTorch's CPU dispatch (sdp_utils_cpp) considers only these two; its own error would just say that no
        // backend is viable.
        throw VariantUnavailable("SDPA backend " + to_string(backend)
            + " has no CPU kernel: LibTorch's CPU attention offers flash (flash_attention) and math only");
    }
    const SdpaBackendScope scope(backend);
    WarningCollector warnings;
    const c10::WarningUtils::WarningHandlerGuard guard(&warnings);
    try {
        return kernel_name(at::_fused_sdp_choice(as_heads(q), as_heads(k), as_heads(v), {}, 0.0, causal, scale, false));
    } catch (const c10::Error& error) {
        std::string reason = warnings.text().empty() ? error.what_without_backtrace() : warnings.text();
        throw VariantUnavailable("SDPA backend " + to_string(backend) + " cannot run these inputs: " + reason);
    }
}

void restrict_sdpa_backend(PhaseProgram& program, SdpaBackend backend)
{
    auto restricted = [backend](std::function<void()> work) -> std::function<void()> {
        if (!work) {
            return work;
        }
        return [backend, work] {
            const SdpaBackendScope scope(backend);
            work();
        };
    };
    program.setup = restricted(std::move(program.setup));
    program.step = restricted(std::move(program.step));
}

std::string sdpa_kernel_note(const PhaseInputs& inputs, SdpaBackend backend)
{
    torch::Tensor q = inputs.q;
    torch::Tensor k = inputs.k;
    torch::Tensor v = inputs.v;
    bool causal = inputs.future_mask.defined();
    if (inputs.cell.workload == Workload::transformer_lm) {
        // Stand-ins shaped like the per-head tensors the model hands to SDPA; only metadata matters for the choice.
        const ModelConfig& model = inputs.cell.model;
        const torch::Tensor like = inputs.parameters.tensors.front();
        q = torch::empty(
            { model.batch, model.num_heads, model.seq_len, model.d_model / model.num_heads }, like.options())
                .requires_grad_(inputs.phase != Phase::forward);
        k = q;
        v = q;
        causal = true;
    }
    return "SDPA backend: " + chosen_sdpa_kernel(q, k, v, causal, inputs.scale, backend) + " (asked for "
        + to_string(backend) + ")";
}

} // namespace compilescope::engine

namespace compilescope {

std::vector<SdpaBackendSupport> sdpa_backend_support(Device device)
{
    std::vector<SdpaBackendSupport> support;
    const engine::Availability runs = engine::device_availability(device);
    // A small fp32 attention with a backward, as the attention workload runs it: what each backend does with it.
    const auto options = torch::TensorOptions().device(engine::torch_device(device)).requires_grad(true);
    for (const std::string& name : sdpa_backend_names()) {
        const SdpaBackend backend = *parse_sdpa_backend(name);
        if (!runs.available) {
            support.push_back({ backend, false, "", runs.reason });
            continue;
        }
        try {
            const torch::Tensor q = torch::randn({ 1, 1, 64, 16 }, options);
            support.push_back({ backend, true, engine::chosen_sdpa_kernel(q, q, q, false, 0.25, backend), "" });
        } catch (const std::exception& error) {
            support.push_back({ backend, false, "", error.what() });
        }
    }
    return support;
}

} // namespace compilescope
