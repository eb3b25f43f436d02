#include "info_commands.h"

#include "compilescope/allocator.h"
#include "compilescope/engine/environment.h"
#include "compilescope/engine/variants.h"
#include "compilescope/presets.h"
#include "compilescope/run_json.h"
#include "compilescope/variant_names.h"

#include <algorithm>
#include <iomanip>
#include <sstream>
#include <type_traits>
#include <utility>
#include <vector>

namespace compilescope::cli {

namespace {

using json = run_json::Json;

template <typename T> std::string join(const std::vector<T>& values)
{
    std::string text;
    for (const auto& value : values) {
        if (!text.empty())
            text += ",";
        if constexpr (std::is_same_v<T, std::string>)
            text += value;
        else
            text += std::to_string(value);
    }
    return text;
}

std::vector<std::string> phase_list(Workload workload)
{
    std::vector<std::string> names;
    for (const auto phase : phases_of(workload))
        names.push_back(to_string(phase));
    return names;
}

std::string format_number(double value)
{
    std::ostringstream text;
    text << value;
    return text.str();
}

std::string describe_attention(const AttentionConfig& attention)
{
    return "d_model " + join(attention.d_models) + " x seq_len " + join(attention.seq_lens) + ", batch "
        + std::to_string(attention.batch) + (attention.causal ? ", causal" : "");
}

std::string describe_model(const ModelConfig& model)
{
    return "vocab_size " + std::to_string(model.vocab_size) + ", context_length " + std::to_string(model.context_length)
        + ", d_model " + std::to_string(model.d_model) + ", num_layers " + std::to_string(model.num_layers)
        + ", num_heads " + std::to_string(model.num_heads) + ", d_ff " + std::to_string(model.d_ff) + ", batch "
        + std::to_string(model.batch) + ", seq_len " + std::to_string(model.seq_len) + ", rope_theta "
        + format_number(model.rope_theta);
}

std::vector<Device> all_devices()
{
    std::vector<Device> devices;
    for (const auto& name : device_names()) {
        if (const auto device = parse_device(name))
            devices.push_back(*device);
    }
    return devices;
}

std::vector<Workload> all_workloads()
{
    std::vector<Workload> workloads;
    for (const auto& name : workload_names()) {
        if (const auto workload = parse_workload(name))
            workloads.push_back(*workload);
    }
    return workloads;
}

json list_json()
{
    json result;
    result["workloads"] = json::array();
    for (const auto workload : all_workloads())
        result["workloads"].push_back({ { "name", to_string(workload) }, { "phases", phase_list(workload) } });
    result["presets"] = json::array();
    for (const auto& preset : all_presets()) {
        result["presets"].push_back({ { "name", preset.name }, { "description", preset.description },
            { "attention", preset.attention }, { "model", preset.model } });
    }
    result["variants"] = json::object();
    for (const auto device : all_devices())
        result["variants"][to_string(device)] = list_variants(device);
    result["sdpa_backends"] = json::object();
    for (const auto device : all_devices())
        result["sdpa_backends"][to_string(device)] = sdpa_backend_support(device);
    return result;
}

void list_text(std::ostream& out)
{
    out << "Workloads (--workload; phases for --phases):\n";
    for (const auto workload : all_workloads())
        out << "  " << std::left << std::setw(16) << to_string(workload) << join(phase_list(workload))
            << (workload == Workload::model_file ? "  (chosen by --model-file FILE, not --workload)" : "") << "\n";

    out << "\nPresets (--preset):\n";
    for (const auto& preset : all_presets()) {
        out << "  " << std::left << std::setw(16) << preset.name << preset.description << "\n"
            << "  " << std::setw(16) << ""
            << "attention: " << describe_attention(preset.attention) << "\n"
            << "  " << std::setw(16) << ""
            << "model: " << describe_model(preset.model) << "\n";
    }

    size_t name_width = 16;
    for (const auto& variant : list_variants(Device::cpu))
        name_width = std::max(name_width, variant_label(variant.name).size() + 2);
    const int status_width = 13;
    for (const auto device : all_devices()) {
        out << "\nVariants on " << to_string(device) << " (--variants):\n";
        for (const auto& variant : list_variants(device)) {
            out << "  " << std::left << std::setw(int(name_width)) << variant_label(variant.name)
                << std::setw(status_width) << (variant.available ? "available" : "unavailable") << variant.description
                << "\n";
            if (!variant.reason.empty())
                out << "  " << std::setw(int(name_width) + status_width) << ""
                    << (variant.available ? "note: " : "reason: ") << variant.reason << "\n";
        }
        out << "  SDPA backends on " << to_string(device) << " (--sdpa-backend; fp32 attention with a backward):\n";
        for (const auto& support : sdpa_backend_support(device)) {
            out << "    " << std::setw(15) << to_string(support.backend)
                << (support.available ? "runs " + support.kernel : "unavailable: " + support.reason) << "\n";
        }
    }
}

} // namespace

void list_command(bool as_json, std::ostream& out)
{
    if (as_json)
        out << run_json::dump(list_json(), 2) << "\n";
    else
        list_text(out);
    out << std::flush;
}

void env_command(bool as_json, AllocatorPolicy allocator, std::ostream& out)
{
    apply_allocator_policy(allocator);
    Environment collected = collect_environment();
    add_python_torch_version(collected);
    const json environment = collected;
    if (as_json) {
        out << run_json::dump(environment, 2) << "\n";
    } else {
        size_t width = 0;
        for (const auto& field : environment.items())
            width = std::max(width, field.key().size());
        for (const auto& field : environment.items()) {
            const auto& value = field.value();
            const std::string text = value.is_string() ? value.get<std::string>() : run_json::dump(value);
            out << std::left << std::setw(static_cast<int>(width + 2)) << (field.key() + ":")
                << (text.empty() ? "-" : text) << "\n";
        }
    }
    out << std::flush;
}

std::string version_text()
{
    const auto environment = collect_environment();
    return "compilescope-cli " + environment.compilescope_version + " (git " + environment.git_revision + ")\nLibTorch "
        + environment.libtorch_version;
}

} // namespace compilescope::cli
