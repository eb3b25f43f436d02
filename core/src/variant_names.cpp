#include "compilescope/variant_names.h"

#include <algorithm>

namespace compilescope {

const std::vector<VariantTraits>& builtin_variants()
{
    // name, python, torchscript, fused_sdpa, cuda_graph, aot_inductor, compiles
    static const std::vector<VariantTraits> variants {
        { eager_variant, false, false, false, false, false, false },
        { torchscript_variant, false, true, false, false, false, true },
        { fused_sdpa_variant, false, false, true, false, false, false },
        { cuda_graph_variant, false, false, false, true, false, true },
        { cuda_graph_fused_sdpa_variant, false, false, true, true, false, true },
        { cuda_graph_torchscript_fused_sdpa_variant, false, true, true, true, false, true },
        { aot_inductor_variant, false, false, false, false, true, true },
        { cuda_graph_aot_inductor_variant, false, false, false, true, true, true },
        { py_eager_variant, true, false, false, false, false, false },
        { torch_compile_variant, true, false, false, false, false, true },
        { torch_compile_ro_variant, true, false, false, true, false, true },
    };
    return variants;
}

VariantTraits variant_traits(const std::string& name)
{
    const std::vector<VariantTraits>& variants = builtin_variants();
    const auto found = std::find_if(
        variants.begin(), variants.end(), [&](const VariantTraits& traits) { return traits.name == name; });
    if (found != variants.end()) {
        return *found;
    }
    VariantTraits unknown;
    unknown.name = name;
    return unknown;
}

std::vector<std::string> python_variant_names()
{
    std::vector<std::string> names;
    for (const VariantTraits& traits : builtin_variants()) {
        if (traits.python) {
            names.push_back(traits.name);
        }
    }
    return names;
}

bool is_python_variant(const std::string& name)
{
    return variant_traits(name).python;
}

bool is_aot_inductor_variant(const std::string& name)
{
    return variant_traits(name).aot_inductor;
}

std::string variant_label(const std::string& name)
{
    return is_python_variant(name) ? name + " (Python)" : name;
}

std::vector<std::string> speedup_baseline_names()
{
    return { eager_variant, py_eager_variant };
}

} // namespace compilescope
