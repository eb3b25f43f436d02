// Attention through at::scaled_dot_product_attention (LibTorch 2.0 and later), the fused kernels users reach with
// torch.nn.functional.scaled_dot_product_attention, with the backend limited to the one a sweep asks for.
#pragma once

#include "compilescope/engine/engine_only.h"

#include "compilescope/types.h"
#include "engine/variant.h"

#include <string>

namespace compilescope::engine {

/// Whether this LibTorch has at::scaled_dot_product_attention; the reason names the version when it has not.
Availability sdpa_availability(Device device);

/// The math of attention_forward through at::scaled_dot_product_attention: a defined future_mask means causal (it
/// is always the upper triangle), passed as is_causal so that fused kernels can skip the masked blocks. Inputs of
/// shape (batch, seq, d) run as one head, (batch, 1, seq, d): the fused kernels take 4-D tensors only.
torch::Tensor fused_attention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
    const torch::Tensor& future_mask, double scale);

/// Allows at::scaled_dot_product_attention only the given backend (all of them for auto) while it lives, and
/// restores LibTorch's previous (process-wide) setting.
class SdpaBackendScope {
public:
    explicit SdpaBackendScope(SdpaBackend backend);
    ~SdpaBackendScope();
    SdpaBackendScope(const SdpaBackendScope&) = delete;
    SdpaBackendScope& operator=(const SdpaBackendScope&) = delete;

private:
    bool m_flash, m_mem_efficient, m_math, m_cudnn;
};

/// The kernel at::scaled_dot_product_attention picks for tensors shaped like q, k, v (with their dtype, device and
/// requires_grad) when only `backend` is allowed, e.g. "flash_attention". Throws VariantUnavailable with
/// LibTorch's own reasons when that backend cannot run them.
std::string chosen_sdpa_kernel(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v, bool causal,
    double scale, SdpaBackend backend);

/// Makes the program's setup and step run under SdpaBackendScope(backend).
void restrict_sdpa_backend(PhaseProgram& program, SdpaBackend backend);

/// "SDPA backend: <kernel> (asked for <backend>)" for the tensors an attention or model phase hands to SDPA.
std::string sdpa_kernel_note(const PhaseInputs& inputs, SdpaBackend backend);

} // namespace compilescope::engine
