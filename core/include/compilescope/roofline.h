// Where a measurement sits against the device's limits: the work of one iteration (FLOPs and the least bytes it
// must move), the device's peaks (Environment::peaks) and the bound that follows. docs/roofline.md has the model.
#pragma once

#include "compilescope/environment.h"
#include "compilescope/types.h"

#include <optional>
#include <string>

namespace compilescope {

struct Measurement;
struct RunResult;

/// Floating-point operations and the least bytes a piece of work moves to and from memory.
struct Work {
    double flops = 0;
    double bytes = 0;
};

Work operator+(const Work& a, const Work& b);
Work operator*(double times, const Work& work);

/// C = A B with A (m x k) and B (k x n): 2 m n k FLOPs; A and B read once, C written once.
Work matmul_work(double m, double n, double k, double element_bytes);

/// An elementwise operation over `elements` elements: reads `inputs` tensors, writes `outputs`.
Work elementwise_work(double elements, int inputs, int outputs, double element_bytes, double flops_per_element = 1);

/// FLOPs per byte; 0 without bytes.
double arithmetic_intensity(const Work& work);

/// The datasheet peaks (dense, no sparsity) of a GPU recognised by its name, for a dtype; nullopt if unknown.
std::optional<DevicePeaks> known_gpu_peaks(const std::string& gpu_name, Dtype dtype);

/// unknown: far below its roof on the CPU, where the profiler cannot see what holds it back (dispatch, threads,
/// caches): the intensity alone would call it compute- or memory-bound, which it is not.
enum class Bound { launch, memory, compute, unknown };

std::string to_string(Bound bound);

/// A CUDA measurement whose GPU is busy for less than this share of the measured time is launch-bound: the host
/// (launches, dispatch, Python) sets its pace, not the kernels.
inline constexpr double launch_bound_busy_share = 0.5;

/// A CPU measurement below this share of its roof is not held back by the roof: its bound is unknown.
inline constexpr double far_below_roof = 0.1;

struct RooflinePoint {
    double intensity = 0; ///< FLOPs per byte of the least traffic
    double achieved_flops_per_s = 0; ///< the FLOP estimate over the median time
    double roof_flops_per_s = 0; ///< the attainable FLOP/s at this intensity
    double fraction_of_roof = 0;
    Bound bound = Bound::memory;
};

/// The measurement on the run's roofline; nullopt when it is not ok, has no FLOP or byte estimate, or the run has no
/// peaks. Launch-bound needs a profiled pass on CUDA (the CPU profiler cannot see inside compiled code); on the CPU a
/// measurement far below its roof is unknown; otherwise the intensity against the ridge says memory- or compute-bound.
std::optional<RooflinePoint> roofline_point(const RunResult& run, const Measurement& measurement);

} // namespace compilescope
