#include "compilescope/variant_names.h"

#include <algorithm>

namespace compilescope {

std::vector<std::string> python_variant_names()
{
    return { py_eager_variant, torch_compile_variant, torch_compile_ro_variant };
}

bool is_python_variant(const std::string& name)
{
    const std::vector<std::string> names = python_variant_names();
    return std::find(names.begin(), names.end(), name) != names.end();
}

bool is_aot_inductor_variant(const std::string& name)
{
    return name == aot_inductor_variant || name == cuda_graph_aot_inductor_variant;
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
