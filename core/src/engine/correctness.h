// A variant's tensors against eager's, on identical inputs.
#pragma once

#include "compilescope/results.h"
#include "engine/phase_program.h"

#include <vector>

namespace compilescope::engine {

/// Tolerance on the relative error max|variant - eager| / max|eager| for a dtype.
double correctness_tolerance(Dtype dtype);

/// Compares tensors pairwise (same names, same shapes). The relative error of each tensor is its max absolute
/// difference over its max absolute reference value; the check reports the worst tensor and passes if that is
/// within the dtype's tolerance. NaN or Inf where eager has none fails.
CorrectnessCheck compare_results(const std::vector<NamedTensor>& reference, const std::vector<NamedTensor>& candidate,
    Dtype dtype);

/// A variant's results against eager's on the same inputs. For a train step the loss and gradients are compared
/// with eager's, and the updated parameters with eager AdamW applied to the variant's own gradients: AdamW's first
/// step divides each gradient by its magnitude plus eps (1e-8), so gradients that are numerically zero, and differ
/// by ~1e-10 under any honest reordering of a sum, move their weights by up to ~1e-5 differently; compared with
/// eager's updated parameters directly, every honest variant of a larger model would fail. The optimizer is the
/// same eager code in every variant, so this still catches a variant that applies the step wrongly.
CorrectnessCheck check_results(const PhaseInputs& inputs, const std::vector<NamedTensor>& reference,
    const std::vector<NamedTensor>& candidate);

} // namespace compilescope::engine
