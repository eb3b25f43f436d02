#include "engine/adamw.h"

#include <cmath>

namespace compilescope::engine {

ForeachAdamW::ForeachAdamW(std::vector<torch::Tensor> parameters)
    : m_parameters(std::move(parameters))
{
    for (const torch::Tensor& parameter : m_parameters) {
        m_exp_avgs.push_back(torch::zeros_like(parameter));
        m_exp_avg_sqs.push_back(torch::zeros_like(parameter));
    }
}

void ForeachAdamW::zero_grad()
{
    for (torch::Tensor& parameter : m_parameters) {
        parameter.mutable_grad().reset();
    }
}

void ForeachAdamW::step()
{
    using S = AdamWSettings;
    torch::NoGradGuard no_grad;
    std::vector<torch::Tensor> grads;
    grads.reserve(m_parameters.size());
    for (const torch::Tensor& parameter : m_parameters) {
        grads.push_back(parameter.grad());
    }
    ++m_step;
    at::_foreach_mul_(m_parameters, 1.0 - S::lr * S::weight_decay);
    at::_foreach_mul_(m_exp_avgs, S::beta1);
    at::_foreach_add_(m_exp_avgs, grads, 1.0 - S::beta1);
    at::_foreach_mul_(m_exp_avg_sqs, S::beta2);
    at::_foreach_addcmul_(m_exp_avg_sqs, grads, grads, 1.0 - S::beta2);
    const double bias_correction1 = 1.0 - std::pow(S::beta1, double(m_step));
    const double bias_correction2 = 1.0 - std::pow(S::beta2, double(m_step));
    std::vector<torch::Tensor> denominators = at::_foreach_sqrt(m_exp_avg_sqs);
    at::_foreach_div_(denominators, std::sqrt(bias_correction2));
    at::_foreach_add_(denominators, S::eps);
    at::_foreach_addcdiv_(m_parameters, m_exp_avgs, denominators, -S::lr / bias_correction1);
}

const char* const fused_adamw_note
    = "optimizer: AdamW (lr 1e-3, betas 0.9/0.95, weight decay 0.01) as at::_fused_adamw_, one multi-tensor kernel "
      "per step, with its step counters on the device";

FusedAdamW::FusedAdamW(const std::vector<torch::Tensor>& initial)
{
    for (const torch::Tensor& tensor : initial) {
        m_parameters.push_back(tensor.detach().clone().requires_grad_(true));
        m_exp_avgs.push_back(torch::zeros_like(tensor));
        m_exp_avg_sqs.push_back(torch::zeros_like(tensor));
        m_steps.push_back(torch::zeros({}, tensor.options().dtype(torch::kFloat)));
    }
}

void FusedAdamW::restart(const std::vector<torch::Tensor>& initial)
{
    torch::NoGradGuard no_grad;
    for (size_t i = 0; i < m_parameters.size(); ++i) {
        m_parameters[i].copy_(initial[i]);
        m_exp_avgs[i].zero_();
        m_exp_avg_sqs[i].zero_();
        m_steps[i].zero_();
    }
}

void FusedAdamW::step(std::vector<torch::Tensor>& grads)
{
    // TorchScript's autodiff returns some weight gradients transposed (measured); eager's and AOTInductor's are
    // contiguous already (then this is a no-op).
    for (torch::Tensor& grad : grads) {
        grad = grad.contiguous();
    }
    torch::NoGradGuard no_grad;
    at::_foreach_add_(m_steps, 1);
    using S = AdamWSettings;
    at::_fused_adamw_(m_parameters, grads, m_exp_avgs, m_exp_avg_sqs, {}, m_steps, S::lr, S::beta1, S::beta2,
        S::weight_decay, S::eps, /*amsgrad=*/false, /*maximize=*/false);
}

} // namespace compilescope::engine
