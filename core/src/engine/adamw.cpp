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

} // namespace compilescope::engine
