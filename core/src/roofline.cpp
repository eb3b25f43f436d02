#include "compilescope/roofline.h"

#include "compilescope/results.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace compilescope {

double DevicePeaks::roof(double intensity) const
{
    return std::min(flops_per_s, intensity * bytes_per_s);
}

Work operator+(const Work& a, const Work& b)
{
    return { a.flops + b.flops, a.bytes + b.bytes };
}

Work operator*(double times, const Work& work)
{
    return { times * work.flops, times * work.bytes };
}

Work matmul_work(double m, double n, double k, double element_bytes)
{
    return { 2.0 * m * n * k, (m * k + k * n + m * n) * element_bytes };
}

Work elementwise_work(double elements, int inputs, int outputs, double element_bytes, double flops_per_element)
{
    return { elements * flops_per_element, elements * double(inputs + outputs) * element_bytes };
}

double arithmetic_intensity(const Work& work)
{
    return work.bytes > 0 ? work.flops / work.bytes : 0;
}

namespace {

/// Datasheet figures, dense (no structured sparsity), SXM parts unless the name says otherwise. TF32 and the 16-bit
/// types run on tensor cores; plain fp32 does not.
struct GpuDatasheet {
    const char* name_part; ///< matched against the name CUDA reports, most specific first
    double fp32_tflops;
    double tf32_tflops;
    double half_tflops; ///< bf16 and fp16
    double tb_per_s;
};

constexpr std::array gpu_datasheets {
    GpuDatasheet { "H200", 67, 494.7, 989.4, 4.8 },
    GpuDatasheet { "H100 PCIe", 51.2, 378, 756, 2.0 },
    GpuDatasheet { "H100 NVL", 60, 417.5, 835, 3.9 },
    GpuDatasheet { "H100", 67, 494.7, 989.4, 3.35 },
    GpuDatasheet { "A100-SXM4-40GB", 19.5, 156, 312, 1.555 },
    GpuDatasheet { "A100-PCIE-40GB", 19.5, 156, 312, 1.555 },
    GpuDatasheet { "A100 80GB PCIe", 19.5, 156, 312, 1.935 },
    GpuDatasheet { "A100", 19.5, 156, 312, 2.039 },
    GpuDatasheet { "L40S", 91.6, 183, 362, 0.864 },
    GpuDatasheet { "L4", 30.3, 60, 121, 0.3 },
    GpuDatasheet { "A10G", 31.2, 62.5, 125, 0.6 },
    GpuDatasheet { "RTX 4090", 82.6, 82.6, 165.2, 1.008 },
    GpuDatasheet { "RTX 3090", 35.6, 35.6, 71, 0.936 },
};

} // namespace

std::optional<DevicePeaks> known_gpu_peaks(const std::string& gpu_name, Dtype dtype)
{
    for (const GpuDatasheet& sheet : gpu_datasheets) {
        if (gpu_name.find(sheet.name_part) == std::string::npos) {
            continue;
        }
        double tflops = sheet.half_tflops;
        if (dtype == Dtype::fp32) {
            tflops = sheet.fp32_tflops;
        } else if (dtype == Dtype::tf32) {
            tflops = sheet.tf32_tflops;
        }
        return DevicePeaks { tflops * 1e12, sheet.tb_per_s * 1e12,
            "datasheet (dense, " + to_string(dtype) + "): " + gpu_name };
    }
    return std::nullopt;
}

std::string to_string(Bound bound)
{
    switch (bound) {
    case Bound::launch:
        return "launch-bound";
    case Bound::memory:
        return "memory-bound";
    case Bound::compute:
        return "compute-bound";
    case Bound::unknown:
        return "not known";
    }
    return "?";
}

std::optional<RooflinePoint> roofline_point(const RunResult& run, const Measurement& measurement)
{
    const DevicePeaks& peaks = run.environment.peaks;
    if (!measurement.ok() || measurement.flops <= 0 || measurement.bytes <= 0 || !peaks.valid()
        || !(measurement.stats.median_ms > 0)) {
        return std::nullopt;
    }
    RooflinePoint point;
    point.intensity = measurement.flops / measurement.bytes;
    point.achieved_flops_per_s = measurement.flops / (measurement.stats.median_ms * 1e-3);
    point.roof_flops_per_s = peaks.roof(point.intensity);
    point.fraction_of_roof = point.achieved_flops_per_s / point.roof_flops_per_s;
    const bool idle_gpu = run.config.device == Device::cuda && measurement.profile
        && measurement.profile->busy_share < launch_bound_busy_share;
    if (idle_gpu) {
        point.bound = Bound::launch;
    } else if (run.config.device == Device::cpu && point.fraction_of_roof < far_below_roof) {
        point.bound = Bound::unknown;
    } else {
        point.bound = point.intensity < peaks.ridge_intensity() ? Bound::memory : Bound::compute;
    }
    return point;
}

} // namespace compilescope
