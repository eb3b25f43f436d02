// Reads the Chrome trace of a profiled pass (written by Kineto, from C++ or from the Python variants' child) into a
// ProfileSummary. One home for what "kernels per iteration" and "busy share" mean, whoever ran the pass.
#pragma once

#include "compilescope/results.h"

#include <string>

namespace compilescope {

/// The annotation (a user scope, "user_annotation" in the trace) around each profiled iteration. On CUDA it
/// closes after the device has synchronised, so the iteration's kernels lie inside it.
inline constexpr const char* profiled_step_name = "compilescope::step";

/// Kernels and operators the summary lists.
inline constexpr int profiled_top_count = 5;

/// Summarises a trace: per profiled iteration (each a profiled_step_name annotation), the kernels (CUDA: kernels,
/// copies and memsets on the GPU timeline) or the top-level ATen operators (CPU), the union of their intervals and
/// the longest by name. `measured_ms` is the timed median the busy share is taken against. pass_ms and trace_file
/// are left for the caller. Throws std::runtime_error for a trace that does not parse or holds no
/// annotated iteration.
ProfileSummary summarize_trace(const std::string& trace_json, Device device, double measured_ms);

} // namespace compilescope
