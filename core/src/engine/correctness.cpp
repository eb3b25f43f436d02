#include "engine/correctness.h"

#include <algorithm>
#include <cstdio>
#include <limits>

namespace compilescope::engine {

double correctness_tolerance(Dtype dtype)
{
    switch (dtype) {
    case Dtype::fp32:
        // Same math in fp32 (unit roundoff 6e-8); a fused or reordered reduction over up to 16k terms drifts by
        // about sqrt(n) * 6e-8 ~ 1e-5, so 1e-4 passes honest reorderings and still catches a wrong result.
        return 1e-4;
    case Dtype::tf32:
        // TF32 matmuls round inputs to 10 mantissa bits (5e-4); differences compound through softmax and layers.
        return 1e-2;
    case Dtype::fp16:
        // fp16 unit roundoff 4.9e-4, with the same compounding as tf32.
        return 1e-2;
    case Dtype::bf16:
        // bf16 keeps 8 mantissa bits (unit roundoff 3.9e-3): one rounding difference in a layer is already ~4e-3.
        return 3e-2;
    }
    return 1e-4;
}

namespace {

std::string format_number(double value)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.3g", value);
    return buffer;
}

} // namespace

CorrectnessCheck compare_results(const std::vector<NamedTensor>& reference, const std::vector<NamedTensor>& candidate,
    Dtype dtype)
{
    CorrectnessCheck check;
    check.checked = true;
    check.tolerance = correctness_tolerance(dtype);
    if (reference.size() != candidate.size()) {
        check.detail = "compared " + std::to_string(candidate.size()) + " tensors, eager has "
            + std::to_string(reference.size());
        return check;
    }
    std::string worst;
    for (size_t i = 0; i < reference.size(); ++i) {
        const NamedTensor& expected = reference[i];
        const NamedTensor& actual = candidate[i];
        if (expected.name != actual.name || expected.tensor.sizes() != actual.tensor.sizes()) {
            check.detail = "tensor " + actual.name + " does not match eager's " + expected.name + " in name or shape";
            return check;
        }
        const torch::Tensor a = expected.tensor.to(torch::kCPU, torch::kDouble);
        const torch::Tensor b = actual.tensor.to(torch::kCPU, torch::kDouble);
        if (!b.isfinite().equal(a.isfinite())) {
            check.detail = actual.name + ": non-finite values where eager has none (or the reverse)";
            check.max_abs_error = std::numeric_limits<double>::infinity();
            check.max_rel_error = std::numeric_limits<double>::infinity();
            return check;
        }
        const torch::Tensor finite = a.isfinite();
        const double abs_error = a.numel() == 0 ? 0.0 : (a - b).masked_fill(~finite, 0).abs().max().item<double>();
        const double scale = a.numel() == 0 ? 0.0 : a.masked_fill(~finite, 0).abs().max().item<double>();
        const double rel_error = scale > 0 ? abs_error / scale : (abs_error > 0 ? abs_error : 0.0);
        check.max_abs_error = std::max(check.max_abs_error, abs_error);
        if (rel_error >= check.max_rel_error) {
            check.max_rel_error = rel_error;
            worst = actual.name + " (max abs " + format_number(abs_error) + ", max |eager| " + format_number(scale)
                + ")";
        }
    }
    check.passed = check.max_rel_error <= check.tolerance;
    check.detail = (check.passed ? "worst: " : "mismatch in ") + worst + ": relative error "
        + format_number(check.max_rel_error) + (check.passed ? " <= " : " > ") + "tolerance "
        + format_number(check.tolerance);
    return check;
}

CorrectnessCheck check_results(const PhaseInputs& inputs, const std::vector<NamedTensor>& reference,
    const std::vector<NamedTensor>& candidate)
{
    if (inputs.phase != Phase::train_step) {
        return compare_results(reference, candidate, inputs.cell.dtype);
    }
    auto without_updates = [](const std::vector<NamedTensor>& tensors) {
        std::vector<NamedTensor> kept;
        for (const NamedTensor& tensor : tensors) {
            if (tensor.name.rfind(updated_prefix, 0) != 0) {
                kept.push_back(tensor);
            }
        }
        return kept;
    };
    std::vector<NamedTensor> updates;
    for (const NamedTensor& tensor : candidate) {
        if (tensor.name.rfind(updated_prefix, 0) == 0) {
            updates.push_back(tensor);
        }
    }
    const CorrectnessCheck math
        = compare_results(without_updates(reference), without_updates(candidate), inputs.cell.dtype);
    CorrectnessCheck step = compare_results(replay_optimizer_step(inputs, candidate), updates, inputs.cell.dtype);
    step.detail += " (updated parameters against eager AdamW on the variant's gradients)";
    CorrectnessCheck merged = math.passed && !step.passed ? step : math;
    if (math.passed == step.passed) {
        merged = math.max_rel_error >= step.max_rel_error ? math : step;
    }
    merged.max_abs_error = std::max(math.max_abs_error, step.max_abs_error);
    merged.max_rel_error = std::max(math.max_rel_error, step.max_rel_error);
    return merged;
}

} // namespace compilescope::engine
