// A variant's tensors against eager's, on identical inputs.
#pragma once

#include "compilescope/engine/engine_only.h"

#include "compilescope/results.h"
#include "engine/phase_program.h"

#include <functional>
#include <vector>

namespace compilescope::engine {

/// Tolerance on the relative error max|variant - eager| / max|eager| for a dtype.
double correctness_tolerance(Dtype dtype);

/// Eager's results on the same inputs cast to fp32, for low-precision checks; called only when needed.
using Fp32Reference = std::function<std::vector<NamedTensor>()>;

/// How far a bf16/fp16 variant may be from an fp32 run, relative to how far eager itself is from it.
constexpr double low_precision_error_multiplier = 2.0;

/// Compares tensors pairwise (same names, same shapes). The relative error of each tensor is its max absolute
/// difference over its max absolute reference value; the check reports the worst tensor and passes if every
/// tensor is within the dtype's tolerance. With `fp32`, a tensor beyond it still passes if its error against the
/// fp32 run is at most low_precision_error_multiplier times eager's own (plus a tenth of the tolerance), as
/// torch._dynamo's accuracy check does: in bf16, gradients summed with cancellation differ by several percent
/// between two honest backward formulas (measured: 9% on one weight of the seed model's train step on the CPU).
/// NaN or Inf where eager has none fails; finite values where eager has NaN or Inf fail too, unless
/// finite_where_eager_is_not says why eager is wrong there (the detail then counts them).
CorrectnessCheck compare_results(const std::vector<NamedTensor>& reference, const std::vector<NamedTensor>& candidate,
    Dtype dtype, const std::vector<NamedTensor>* fp32 = nullptr, const std::string& finite_where_eager_is_not = "");

/// A variant's results against eager's on the same inputs (fp32_reference is used for bf16/fp16 only, when the
/// plain comparison fails). For a train step the loss and gradients are compared with eager's, and the updated
/// parameters with eager AdamW applied to the variant's own gradients: AdamW's first step divides each gradient
/// by its magnitude plus eps (1e-8), so gradients that are numerically zero, and differ by ~1e-10 under any honest
/// reordering of a sum, move their weights by up to ~1e-5 differently; compared with eager's updated parameters
/// directly, every honest variant of a larger model would fail. The optimizer is the same eager code in every
/// variant, so this still catches a variant that applies the step wrongly.
CorrectnessCheck check_results(const PhaseInputs& inputs, const std::vector<NamedTensor>& reference,
    const std::vector<NamedTensor>& candidate, const Fp32Reference& fp32_reference = {});

} // namespace compilescope::engine
