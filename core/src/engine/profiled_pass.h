// The optional profiled pass (MeasureConfig::profile): more iterations of a phase program under LibTorch's profiler
// (Kineto), after the timed ones, summarised from the Chrome trace the profiler writes.
#pragma once

#include "compilescope/engine/engine_only.h"

#include "compilescope/results.h"
#include "engine/phase_program.h"
#include "engine/phase_timer.h"

#include <string>

namespace compilescope::engine {

/// Runs `iterations` iterations of `program` (setup untimed, each step inside a profiled_step_name annotation that
/// closes once the device has synchronised) under the profiler, and summarises the trace against the timed median
/// `measured_ms` (summarize_trace_file). pass_ms: from the profiler's start to the trace written. Throws on failure.
ProfileSummary run_profiled_pass(const PhaseProgram& program, const PhaseTimer& timer, Device device, int iterations,
    double measured_ms, const std::string& keep_path);

/// Summarises the Chrome trace at `written` (summarize_trace) and removes it; keeps it at `keep_path`, written
/// atomically, when that is not empty. The Python variants' child writes its pass's trace for this.
ProfileSummary summarize_trace_file(
    const std::string& written, Device device, double measured_ms, const std::string& keep_path);

/// The file name of a measurement's trace: "<workload>-<phase>-b<batch>-d<d_model>-s<seq_len>-<variant>.json",
/// '+' in the variant's name written as '_'.
std::string trace_file_name(const Measurement& measurement);

} // namespace compilescope::engine
