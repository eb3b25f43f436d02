#include "compilescope/types.h"

#include <array>
#include <utility>

namespace compilescope {

namespace {

// One table per enum: the stable name of each value, in display order. Every lookup goes through these, so a
// name cannot be spelt two ways.
constexpr std::array<std::pair<Workload, const char*>, 3> workload_table { {
    { Workload::attention, "attention" },
    { Workload::transformer_lm, "transformer_lm" },
    { Workload::model_file, "model_file" },
} };

constexpr std::array<std::pair<Phase, const char*>, 4> phase_table { {
    { Phase::forward, "forward" },
    { Phase::backward, "backward" },
    { Phase::forward_backward, "forward_backward" },
    { Phase::train_step, "train_step" },
} };

constexpr std::array<std::pair<Device, const char*>, 2> device_table { {
    { Device::cpu, "cpu" },
    { Device::cuda, "cuda" },
} };

constexpr std::array<std::pair<Dtype, const char*>, 4> dtype_table { {
    { Dtype::fp32, "fp32" },
    { Dtype::tf32, "tf32" },
    { Dtype::bf16, "bf16" },
    { Dtype::fp16, "fp16" },
} };

constexpr std::array<std::pair<AllocatorPolicy, const char*>, 2> allocator_table { {
    { AllocatorPolicy::keep, "keep" },
    { AllocatorPolicy::system, "system" },
} };

constexpr std::array<std::pair<SdpaBackend, const char*>, 5> sdpa_backend_table { {
    { SdpaBackend::auto_select, "auto" },
    { SdpaBackend::flash, "flash" },
    { SdpaBackend::mem_efficient, "mem-efficient" },
    { SdpaBackend::cudnn, "cudnn" },
    { SdpaBackend::math, "math" },
} };

constexpr std::array<std::pair<PythonAdamW, const char*>, 2> python_adamw_table { {
    { PythonAdamW::multi_tensor, "foreach" },
    { PythonAdamW::fused, "fused" },
} };

constexpr std::array<std::pair<MeasurementStatus, const char*>, 5> status_table { {
    { MeasurementStatus::ok, "ok" },
    { MeasurementStatus::failed, "failed" },
    { MeasurementStatus::skipped, "skipped" },
    { MeasurementStatus::unavailable, "unavailable" },
    { MeasurementStatus::cancelled, "cancelled" },
} };

constexpr std::array<std::pair<IntervalVerdict, const char*>, 3> interval_verdict_table { {
    { IntervalVerdict::counts, "counts" },
    { IntervalVerdict::too_few_samples, "too_few_samples" },
    { IntervalVerdict::time_slice_grid, "time_slice_grid" },
} };

template <typename Enum, size_t N>
std::string name_of(const std::array<std::pair<Enum, const char*>, N>& table, Enum value)
{
    for (const auto& [entry, name] : table) {
        if (entry == value)
            return name;
    }
    return "unknown";
}

template <typename Enum, size_t N>
std::optional<Enum> value_of(const std::array<std::pair<Enum, const char*>, N>& table, const std::string& name)
{
    for (const auto& [entry, entry_name] : table) {
        if (name == entry_name)
            return entry;
    }
    return std::nullopt;
}

template <typename Enum, size_t N>
std::vector<std::string> names_of(const std::array<std::pair<Enum, const char*>, N>& table)
{
    std::vector<std::string> names;
    names.reserve(N);
    for (const auto& entry : table)
        names.emplace_back(entry.second);
    return names;
}

} // namespace

std::string to_string(Workload value)
{
    return name_of(workload_table, value);
}
std::string to_string(Phase value)
{
    return name_of(phase_table, value);
}
std::string to_string(Device value)
{
    return name_of(device_table, value);
}
std::string to_string(Dtype value)
{
    return name_of(dtype_table, value);
}
std::string to_string(AllocatorPolicy value)
{
    return name_of(allocator_table, value);
}
std::string to_string(SdpaBackend value)
{
    return name_of(sdpa_backend_table, value);
}

std::string to_string(PythonAdamW value)
{
    return name_of(python_adamw_table, value);
}
std::string to_string(MeasurementStatus value)
{
    return name_of(status_table, value);
}

std::string to_string(IntervalVerdict value)
{
    return name_of(interval_verdict_table, value);
}

std::optional<Workload> parse_workload(const std::string& name)
{
    return value_of(workload_table, name);
}
std::optional<Phase> parse_phase(const std::string& name)
{
    return value_of(phase_table, name);
}
std::optional<Device> parse_device(const std::string& name)
{
    return value_of(device_table, name);
}
std::optional<Dtype> parse_dtype(const std::string& name)
{
    return value_of(dtype_table, name);
}

std::optional<AllocatorPolicy> parse_allocator_policy(const std::string& name)
{
    return value_of(allocator_table, name);
}

std::optional<SdpaBackend> parse_sdpa_backend(const std::string& name)
{
    return value_of(sdpa_backend_table, name);
}

std::optional<PythonAdamW> parse_python_adamw(const std::string& name)
{
    return value_of(python_adamw_table, name);
}

std::optional<MeasurementStatus> parse_measurement_status(const std::string& name)
{
    return value_of(status_table, name);
}

std::string display_name(Phase value)
{
    switch (value) {
    case Phase::forward:
        return "Forward";
    case Phase::backward:
        return "Backward";
    case Phase::forward_backward:
        return "Forward+Backward";
    case Phase::train_step:
        return "Train step";
    }
    return "Unknown";
}

std::vector<std::string> workload_names()
{
    return names_of(workload_table);
}
std::vector<std::string> phase_names()
{
    return names_of(phase_table);
}
std::vector<std::string> device_names()
{
    return names_of(device_table);
}
std::vector<std::string> dtype_names()
{
    return names_of(dtype_table);
}
std::vector<std::string> allocator_policy_names()
{
    return names_of(allocator_table);
}

std::vector<std::string> sdpa_backend_names()
{
    return names_of(sdpa_backend_table);
}

std::vector<std::string> python_adamw_names()
{
    return names_of(python_adamw_table);
}

std::vector<Phase> phases_of(Workload workload)
{
    switch (workload) {
    case Workload::attention:
        return { Phase::forward, Phase::backward, Phase::forward_backward };
    case Workload::transformer_lm:
        return { Phase::forward, Phase::train_step };
    case Workload::model_file:
        return { Phase::forward, Phase::forward_backward, Phase::train_step };
    }
    return {};
}

} // namespace compilescope
