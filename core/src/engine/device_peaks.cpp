#include "engine/device_peaks.h"

#include "checked_directory.h"
#include "compilescope/config.h"
#include "compilescope/file_io.h"
#include "compilescope/roofline.h"
#include "engine/workloads.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <optional>
#include <stdexcept>

namespace compilescope::engine {

namespace {

constexpr int probe_repeats = 5;
constexpr const char* peaks_file = "device-peaks.json";

/// Best (shortest) seconds of `repeats` calls of `work`, after one untimed call.
double best_seconds(Device device, const std::function<void()>& work)
{
    const auto synchronize = [device] {
        if (device == Device::cuda) {
            torch::cuda::synchronize();
        }
    };
    work();
    synchronize();
    double best = 1e30;
    for (int i = 0; i < probe_repeats; ++i) {
        const auto start = std::chrono::steady_clock::now();
        work();
        synchronize();
        best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    return best;
}

DevicePeaks probe(Device device, Dtype dtype)
{
    const torch::Device where = device == Device::cuda ? torch::kCUDA : torch::kCPU;
    const int64_t n = device == Device::cuda ? 8192 : 1536;
    const auto options = torch::TensorOptions().device(where).dtype(scalar_type(dtype));
    const torch::Tensor a = torch::randn({ n, n }, options);
    const torch::Tensor b = torch::randn({ n, n }, options);
    torch::Tensor c = torch::empty({ n, n }, options);
    const double matmul_s = best_seconds(device, [&] { torch::mm_out(c, a, b); });

    const int64_t copy_bytes = device == Device::cuda ? (int64_t(1) << 30) : (int64_t(128) << 20);
    const auto bytes_options = torch::TensorOptions().device(where).dtype(torch::kFloat32);
    const torch::Tensor source = torch::ones({ copy_bytes / 4 }, bytes_options);
    torch::Tensor target = torch::empty_like(source);
    const double copy_s = best_seconds(device, [&] { target.copy_(source); });

    DevicePeaks peaks;
    peaks.flops_per_s = 2.0 * double(n) * double(n) * double(n) / matmul_s;
    peaks.bytes_per_s = 2.0 * double(copy_bytes) / copy_s;
    peaks.source = "measured: best of " + std::to_string(probe_repeats) + " " + std::to_string(n) + "x"
        + std::to_string(n) + " " + to_string(dtype) + " matrix products and " + std::to_string(copy_bytes >> 20)
        + " MiB copies (read + write), at " + std::to_string(at::get_num_threads()) + " threads";
    return peaks;
}

std::string cache_key(const Environment& environment, Device device, Dtype dtype)
{
    const std::string name = device == Device::cuda ? environment.gpu_name : environment.cpu_model;
    return to_string(device) + " | " + name + " | " + to_string(dtype) + " | threads "
        + std::to_string(device == Device::cuda ? 0 : at::get_num_threads());
}

} // namespace

DevicePeaks device_peaks(const Environment& environment, Device device, Dtype dtype)
{
    if (device == Device::cuda) {
        if (auto known = known_gpu_peaks(environment.gpu_name, dtype)) {
            return *known;
        }
    }
    const std::string key = cache_key(environment, device, dtype);
    nlohmann::json cache = nlohmann::json::object();
    std::optional<CheckedDirectory> folder;
    try {
        // Created 0700 and read only when no other user could have written it: its figures steer the estimates.
        // No home, no cache: every run probes (an empty path would mean the working folder).
        const std::string directory = cache_directory();
        if (directory.empty()) {
            throw std::runtime_error("no cache folder");
        }
        folder = CheckedDirectory::open(directory, /*create=*/true);
        cache = nlohmann::json::parse(folder->read_file(peaks_file, max_read_bytes));
        const nlohmann::json& entry = cache.at(key);
        return DevicePeaks { entry.at("flops_per_s").get<double>(), entry.at("bytes_per_s").get<double>(),
            entry.at("source").get<std::string>() + " (cached)" };
    } catch (const std::exception&) {
        // No cache, no entry for this device, or a damaged file: probe, and keep what can be kept.
        if (!cache.is_object()) {
            cache = nlohmann::json::object();
        }
    }
    DevicePeaks peaks = probe(device, dtype);
    cache[key]
        = { { "flops_per_s", peaks.flops_per_s }, { "bytes_per_s", peaks.bytes_per_s }, { "source", peaks.source } };
    try {
        if (folder) {
            write_file_atomically(folder->path() + "/" + peaks_file, cache.dump(2) + "\n");
        }
    } catch (const std::exception&) {
        // A read-only cache costs a probe per run, nothing more.
    }
    return peaks;
}

} // namespace compilescope::engine
