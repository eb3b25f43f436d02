// The variants the engine knows. Adding one: a file defining make_<name>_variant(), declared and listed below.
#pragma once

#include "compilescope/engine/engine_only.h"

#include "engine/variant.h"

#include <memory>
#include <string>
#include <vector>

namespace compilescope::engine {

std::shared_ptr<const Variant> make_eager_variant();
std::shared_ptr<const Variant> make_torchscript_variant();
std::shared_ptr<const Variant> make_fused_sdpa_variant();
std::shared_ptr<const Variant> make_cuda_graph_variant();
std::shared_ptr<const Variant> make_cuda_graph_fused_sdpa_variant();
std::shared_ptr<const Variant> make_cuda_graph_torchscript_fused_sdpa_variant();
std::shared_ptr<const Variant> make_py_eager_variant();
std::shared_ptr<const Variant> make_torch_compile_variant();
std::shared_ptr<const Variant> make_torch_compile_ro_variant();
std::shared_ptr<const Variant> make_aot_inductor_variant();
std::shared_ptr<const Variant> make_cuda_graph_aot_inductor_variant();

/// Built-in variants (eager first), then those registered through ScopedVariantRegistration.
std::vector<std::shared_ptr<const Variant>> registered_variants();

/// nullptr when no variant has that name.
std::shared_ptr<const Variant> find_variant(const std::string& name);

/// Whether LibTorch can run on the device at all: available on the CPU; on CUDA, the reason when it cannot.
Availability device_availability(Device device);

/// Whether `script` (a path from compilescope/python.h, "" when not installed; `name` for the message) can run with
/// the sweep's Python: cheap checks only (that torch imports takes seconds to learn, so the child finds out).
Availability python_script_availability(const std::string& script, const std::string& name, const SweepConfig& config);

/// Test hook: registers an extra variant for the lifetime of this object (it shows in list_variants() and sweeps
/// can run it). Its name must not clash with a registered one.
class ScopedVariantRegistration {
public:
    explicit ScopedVariantRegistration(std::shared_ptr<const Variant> variant);
    ~ScopedVariantRegistration();
    ScopedVariantRegistration(const ScopedVariantRegistration&) = delete;
    ScopedVariantRegistration& operator=(const ScopedVariantRegistration&) = delete;

private:
    std::string m_name;
};

} // namespace compilescope::engine
