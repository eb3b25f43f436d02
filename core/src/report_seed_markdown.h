// The pieces of the seed report's layout that the extended sections repeat (report_extended_markdown.cpp).
#pragma once

#include "compilescope/config.h"
#include "compilescope/results.h"

#include <string>
#include <vector>

namespace compilescope {

/// The seed's attention table for each compared variant that ran (`phases` are its column groups), with a
/// `### variant` heading when there are several.
std::string attention_tables(const RunResult& run, const std::vector<Phase>& phases);

/// Warm-up and timed iterations in words: fixed, or the adaptive rule.
std::string iteration_policy(const MeasureConfig& measure);

/// "8 intra-op threads", or LibTorch's default count when the run left it.
std::string threads_text(const RunResult& run);

/// How each timed iteration was clocked (PhaseTimer), and in which order the variants ran.
std::string timing_method(const SweepConfig& config);

} // namespace compilescope
