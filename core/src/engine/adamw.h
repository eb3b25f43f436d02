// The optimizer of every train step: AdamW with the CS336 settings, as torch.optim.AdamW runs it by default on a
// GPU, the multi-tensor ("foreach") implementation: a few kernels over all parameters per operation instead of a
// few per parameter (torch::optim::AdamW in C++ launches ~10 kernels per parameter and step).
#pragma once

#include "compilescope/engine/engine_only.h"

#include <torch/torch.h>

#include <vector>

namespace compilescope::engine {

struct AdamWSettings {
    static constexpr double lr = 1e-3;
    static constexpr double beta1 = 0.9;
    static constexpr double beta2 = 0.95;
    static constexpr double weight_decay = 0.01;
    static constexpr double eps = 1e-8;
};

class ForeachAdamW {
public:
    /// Leaves whose .grad() step() reads; the optimizer keeps its own moments, zero at the start.
    explicit ForeachAdamW(std::vector<torch::Tensor> parameters);

    /// Drops the gradients (set_to_none, as torch.optim's default), so the next backward writes fresh ones.
    void zero_grad();

    /// One AdamW step, as torch.optim.adamw._multi_tensor_adamw computes it: decoupled weight decay, then the
    /// moments, then the bias-corrected update.
    void step();

private:
    std::vector<torch::Tensor> m_parameters;
    std::vector<torch::Tensor> m_exp_avgs;
    std::vector<torch::Tensor> m_exp_avg_sqs;
    int64_t m_step = 0;
};

/// Note recorded for the train steps that use FusedAdamW.
extern const char* const fused_adamw_note;

/// AdamW as one multi-tensor kernel, at::_fused_adamw_, on a private copy of the parameters, with its step
/// counters on the device: a replayed CUDA graph advances them (a host-side count would stay at its captured value).
/// Gradients are passed in (functional gradients: graph outputs), not read from .grad.
class FusedAdamW {
public:
    /// Copies of `initial`, zero moments and counters.
    explicit FusedAdamW(const std::vector<torch::Tensor>& initial);

    /// Back to `initial`, in place: every tensor keeps its address, as captured graphs need.
    void restart(const std::vector<torch::Tensor>& initial);

    /// One step with these gradients (each made contiguous like its parameter first, as the kernel needs).
    void step(std::vector<torch::Tensor>& grads);

    /// The parameters being trained (leaves that require grad).
    const std::vector<torch::Tensor>& parameters() const { return m_parameters; }

private:
    std::vector<torch::Tensor> m_parameters, m_exp_avgs, m_exp_avg_sqs, m_steps;
};

} // namespace compilescope::engine
