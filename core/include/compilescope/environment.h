// Where a run happened (read by compilescope/engine/environment.h): printed by `compilescope-cli env` and embedded
// in every report.
#pragma once

#include <string>

namespace compilescope {

/// The device's ceilings for the run's dtype: the roofs of the roofline (docs/roofline.md).
struct DevicePeaks {
    double flops_per_s = 0; ///< dense matrix arithmetic in the run's dtype
    double bytes_per_s = 0; ///< memory bandwidth (bytes read + written per second)
    std::string source; ///< "datasheet (dense): NVIDIA H200", or "measured: ..." with what the probe ran

    bool valid() const { return flops_per_s > 0 && bytes_per_s > 0; }
    /// FLOPs per byte at which the roofs meet: work of lower intensity is memory-bound.
    double ridge_intensity() const { return flops_per_s / bytes_per_s; }
    /// The attainable FLOP/s at an intensity: min(flops_per_s, intensity x bytes_per_s).
    double roof(double intensity) const;
};

struct Environment {
    std::string compilescope_version;
    std::string git_revision;
    std::string libtorch_version;
    bool cuda_available = false; ///< LibTorch built with CUDA and a device present
    bool mps_available = false;
    std::string cuda_version; ///< "" when LibTorch has no CUDA
    std::string cudnn_version;
    std::string gpu_name;
    int gpu_sm_count = 0;
    std::string gpu_driver;
    std::string cpu_model;
    int cpu_cores = 0; ///< logical CPUs online
    int torch_threads = 0; ///< at::get_num_threads() at collection time
    std::string blas; ///< BLAS/LAPACK LibTorch reports, and the libblas.so.3 it resolves to
    std::string compiler;
    std::string build_type;
    std::string os;
    std::string hostname;
    std::string allocator; ///< the policy in force and what it set, e.g. "keep (mallopt: ...)"
    bool torchscript_cpu_fusion = false; ///< whether NNC can fuse on CPU in this build (needs LLVM)
    std::string python; ///< the Python of the Python variants (and of AOTInductor export)
    std::string python_torch_version; ///< its torch.__version__; "" when not read (no Python variant ran)
    DevicePeaks peaks; ///< of the run's device and dtype; invalid when unknown (older runs)
};

} // namespace compilescope
