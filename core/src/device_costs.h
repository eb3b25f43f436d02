// What a sweep's work costs on a kind of device beyond what the roofline says: how far below the roofs an iteration
// runs, the floor its operator dispatches set, and the one-off work (exports, compiles, the Python start-up). Measured
// constants (device_costs.cpp says where each comes from), used by the estimate before Run (sweep_estimate.h).
#pragma once

#include "compilescope/types.h"

namespace compilescope::engine {

struct DeviceCosts {
    /// The share of the roofline (the larger of FLOPs / peak FLOP/s and least bytes / peak bytes) an eager iteration
    /// reaches, typically: unfused attention moves its score matrix several times, which the least bytes leave out.
    double roofline_efficiency = 0.5;
    /// One eager operator's dispatch (and launch, on a GPU) from C++: an iteration takes at least
    /// estimated_operators times this, however little it computes.
    double operator_s = 0;
    /// On a busy machine, what each operator of a multi-threaded iteration waits when one of its threads was taken
    /// away (MachinePace::waiting_share of the time): about a scheduler time slice. 0 where the device runs the
    /// operators (a GPU).
    double contended_operator_s = 0;
    /// The typical coefficient of variation of one timed iteration: with target_rel_error it sets how many
    /// iterations the standard-error rule wants ((cv / target)^2) between min_time and max_time.
    double noise_cv = 0.05;
    /// Untimed iterations a C++ variant runs after its warm-ups while the kept heap still grows (PhaseTimer::settle,
    /// at most 10), typically.
    double settle_iterations = 0;
    /// Per measurement, besides its iterations: building the program, eager's reference and the check against it,
    /// the statistics; for a Python variant also handing it the inputs and reading its results.
    double measurement_overhead_s = 0;
    /// The worker's start before the first measurement: LibTorch, the environment, the look at the machine's load.
    double start_s = 0;
    /// Starting the Python child (import torch), once per sweep with a Python variant.
    double python_start_s = 0;
    /// The first torch.compile of a sweep, besides its own compile: Dynamo's and Inductor's imports and warm-up.
    double first_compile_s = 0;
    /// torch.compile (default mode) of attention's forward, the smallest graph; larger graphs scale with the square
    /// root of their operators (compile_weight in sweep_estimate.cpp).
    double torch_compile_s = 0;
    /// The share of torch.compile's or an export's time left for forward_backward when the sweep compiled the same
    /// cell's forward and backward just before (Inductor's cache serves their kernels).
    double torch_compile_cached_share = 1;
    double aoti_cached_share = 1;
    /// Scripting one (cell, phase) with torch::jit and the profiling executor's optimising runs.
    double torchscript_s = 0;
    /// One AOTInductor package by one exporter process: its Python start, torch.export, Inductor's compile of the
    /// C++ (or Triton) and the check run; `aoti_export_scaled_s` more per compile_weight beyond the smallest graph.
    double aoti_export_s = 0;
    double aoti_export_scaled_s = 0;
};

/// The costs measured for `device`.
DeviceCosts device_costs(Device device);

} // namespace compilescope::engine
