#include "engine/variant_registry.h"

#include "compilescope/engine/variants.h"

#include <algorithm>
#include <mutex>
#include <stdexcept>

namespace compilescope::engine {

namespace {

const std::vector<std::shared_ptr<const Variant>>& builtin_variants()
{
    static const std::vector<std::shared_ptr<const Variant>> variants { make_eager_variant(),
        make_torchscript_variant(), make_fused_sdpa_variant(), make_cuda_graph_variant(),
        make_cuda_graph_fused_sdpa_variant(), make_cuda_graph_torchscript_fused_sdpa_variant(),
        make_aot_inductor_variant(), make_cuda_graph_aot_inductor_variant(), make_py_eager_variant(),
        make_torch_compile_variant(), make_torch_compile_ro_variant() };
    return variants;
}

std::mutex g_extra_mutex;
std::vector<std::shared_ptr<const Variant>> g_extra_variants;

} // namespace

std::vector<std::shared_ptr<const Variant>> registered_variants()
{
    std::vector<std::shared_ptr<const Variant>> variants = builtin_variants();
    std::lock_guard<std::mutex> lock(g_extra_mutex);
    variants.insert(variants.end(), g_extra_variants.begin(), g_extra_variants.end());
    return variants;
}

std::shared_ptr<const Variant> find_variant(const std::string& name)
{
    for (const auto& variant : registered_variants()) {
        if (variant->name() == name) {
            return variant;
        }
    }
    return nullptr;
}

Availability device_availability(Device device)
{
    if (device == Device::cpu) {
        return { true, "" };
    }
#ifdef COMPILESCOPE_WITH_CUDA
    if (torch::cuda::is_available()) {
        return { true, "" };
    }
    return { false, "no CUDA device visible to LibTorch" };
#else
    return { false, "LibTorch built without CUDA" };
#endif
}

ScopedVariantRegistration::ScopedVariantRegistration(std::shared_ptr<const Variant> variant)
    : m_name(variant->name())
{
    if (find_variant(m_name)) {
        throw std::invalid_argument("a variant named '" + m_name + "' is already registered");
    }
    std::lock_guard<std::mutex> lock(g_extra_mutex);
    g_extra_variants.push_back(std::move(variant));
}

ScopedVariantRegistration::~ScopedVariantRegistration()
{
    std::lock_guard<std::mutex> lock(g_extra_mutex);
    g_extra_variants.erase(std::remove_if(g_extra_variants.begin(), g_extra_variants.end(),
                               [this](const auto& variant) { return variant->name() == m_name; }),
        g_extra_variants.end());
}

} // namespace compilescope::engine

namespace compilescope {

std::vector<VariantInfo> list_variants(Device device)
{
    std::vector<VariantInfo> infos;
    for (const auto& variant : engine::registered_variants()) {
        const engine::Availability availability = variant->availability(device);
        infos.push_back({ variant->name(), variant->description(), availability.available, availability.reason,
            variant_traits(variant->name()) });
    }
    return infos;
}

bool cuda_available()
{
    return engine::device_availability(Device::cuda).available;
}

MachineOffer machine_offer()
{
    std::vector<std::string> names;
    for (const auto& variant : engine::registered_variants())
        names.push_back(variant->name());
    return { std::move(names), cuda_available() };
}

std::vector<ConfigError> validate_config(const SweepConfig& config)
{
    return validate_config(config, machine_offer());
}

} // namespace compilescope
