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

bool is_low_precision(Dtype dtype)
{
    return dtype == Dtype::bf16 || dtype == Dtype::fp16;
}

/// max |a - b| over max |reference|, NaN/Inf positions masked out (their agreement is checked separately).
struct Difference {
    double abs_error = 0;
    double scale = 0;
    double relative() const { return scale > 0 ? abs_error / scale : abs_error; }
};

Difference difference(const torch::Tensor& reference, const torch::Tensor& other)
{
    Difference result;
    if (reference.numel() == 0) {
        return result;
    }
    const torch::Tensor outside = ~reference.isfinite();
    result.abs_error = (reference - other).masked_fill(outside, 0).abs().max().item<double>();
    result.scale = reference.masked_fill(outside, 0).abs().max().item<double>();
    return result;
}

/// In double on the tensor's own device: on a GPU the comparison of a large cell's outputs then takes milliseconds
/// instead of copying hundreds of MB to the host (measured: a sizeable part of a seed sweep's wall time).
torch::Tensor as_double(const torch::Tensor& tensor)
{
    return tensor.to(torch::kDouble);
}

std::vector<NamedTensor> without_updates(const std::vector<NamedTensor>& tensors, bool keep_updates)
{
    std::vector<NamedTensor> kept;
    for (const NamedTensor& tensor : tensors) {
        if ((tensor.name.rfind(updated_prefix, 0) == 0) == keep_updates) {
            kept.push_back(tensor);
        }
    }
    return kept;
}

} // namespace

CorrectnessCheck compare_results(const std::vector<NamedTensor>& reference, const std::vector<NamedTensor>& candidate,
    Dtype dtype, const std::vector<NamedTensor>* fp32, const std::string& finite_where_eager_is_not)
{
    CorrectnessCheck check;
    check.checked = true;
    check.tolerance = correctness_tolerance(dtype);
    if (reference.size() != candidate.size() || (fp32 && fp32->size() != reference.size())) {
        check.detail = "compared " + std::to_string(candidate.size()) + " tensors, eager has "
            + std::to_string(reference.size());
        return check;
    }
    bool all_pass = true;
    std::string tolerated_detail;
    double worst_failing = -1;
    std::string worst_detail;
    for (size_t i = 0; i < reference.size(); ++i) {
        const NamedTensor& expected = reference[i];
        const NamedTensor& actual = candidate[i];
        if (expected.name != actual.name || expected.tensor.sizes() != actual.tensor.sizes()) {
            check.detail = "tensor " + actual.name + " does not match eager's " + expected.name + " in name or shape";
            return check;
        }
        const torch::Tensor a = as_double(expected.tensor);
        const torch::Tensor b = as_double(actual.tensor);
        const torch::Tensor eager_finite = a.isfinite();
        const torch::Tensor variant_finite = b.isfinite();
        const int64_t finite_only_here = (variant_finite & ~eager_finite).sum().item<int64_t>();
        const bool nonfinite_only_here = (eager_finite & ~variant_finite).any().item<bool>();
        const int64_t tolerated = finite_where_eager_is_not.empty() ? 0 : finite_only_here;
        if (nonfinite_only_here || finite_only_here > tolerated) {
            check.detail = actual.name + ": non-finite values where eager has none (or the reverse)";
            check.max_abs_error = std::numeric_limits<double>::infinity();
            check.max_rel_error = std::numeric_limits<double>::infinity();
            return check;
        }
        if (tolerated > 0) {
            tolerated_detail += "; " + actual.name + ": " + std::to_string(tolerated)
                + " values finite where eager's are not (" + finite_where_eager_is_not + ")";
        }
        const Difference against_eager = difference(a, b);
        const double rel_error = against_eager.relative();
        check.max_abs_error = std::max(check.max_abs_error, against_eager.abs_error);
        std::string detail = actual.name + " (max abs " + format_number(against_eager.abs_error) + ", max |eager| "
            + format_number(against_eager.scale) + "): relative error " + format_number(rel_error);
        bool pass = rel_error <= check.tolerance;
        if (!pass && fp32) {
            const torch::Tensor truth = as_double((*fp32)[i].tensor);
            const double eager_error = difference(truth, a).relative();
            const double variant_error = difference(truth, b).relative();
            const double allowed = low_precision_error_multiplier * eager_error + check.tolerance / 10;
            pass = variant_error <= allowed;
            detail += " > tolerance " + format_number(check.tolerance) + " against eager; against an fp32 run "
                + format_number(variant_error) + (pass ? " <= " : " > ") + format_number(allowed) + " (eager's own "
                + format_number(eager_error) + ")";
        }
        all_pass = all_pass && pass;
        const double rank = pass ? rel_error : rel_error + 1e9; // failing tensors first, then the largest error
        if (rank >= worst_failing) {
            worst_failing = rank;
            worst_detail = detail;
        }
        check.max_rel_error = std::max(check.max_rel_error, rel_error);
    }
    check.passed = all_pass;
    check.detail = (all_pass ? "worst: " : "mismatch in ") + worst_detail;
    if (worst_detail.find(" against eager;") == std::string::npos) {
        check.detail += (all_pass ? " <= " : " > ") + std::string("tolerance ") + format_number(check.tolerance);
    }
    check.detail += tolerated_detail;
    return check;
}

CorrectnessCheck check_results(const PhaseInputs& inputs, const std::vector<NamedTensor>& reference,
    const std::vector<NamedTensor>& candidate, const Fp32Reference& fp32_reference)
{
    const Dtype dtype = inputs.cell.dtype;
    const bool train_step = inputs.phase == Phase::train_step;
    const std::vector<NamedTensor> expected = train_step ? without_updates(reference, false) : reference;
    const std::vector<NamedTensor> actual = train_step ? without_updates(candidate, false) : candidate;
    CorrectnessCheck math = compare_results(expected, actual, dtype);
    if (!math.passed && is_low_precision(dtype) && fp32_reference) {
        const std::vector<NamedTensor> fp32 = fp32_reference();
        const std::vector<NamedTensor> fp32_expected = train_step ? without_updates(fp32, false) : fp32;
        math = compare_results(expected, actual, dtype, &fp32_expected);
    }
    if (!train_step) {
        return math;
    }
    // In fp16 eager AdamW's eps (1e-8) rounds to 0, so a weight whose gradients were all zero so far (an embedding
    // row no token used) becomes 0/0 = NaN; an optimizer that computes in fp32, as the fused AdamW does, stays finite.
    const std::string fp16_eps = dtype == Dtype::fp16
        ? "eager AdamW's eps 1e-8 is 0 in fp16, so weights that never had a gradient become 0/0 = NaN"
        : "";
    CorrectnessCheck step = compare_results(
        replay_optimizer_step(inputs, candidate), without_updates(candidate, true), dtype, nullptr, fp16_eps);
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
