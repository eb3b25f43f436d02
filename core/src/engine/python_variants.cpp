// py-eager, torch-compile, torch-compile-ro: listed here like every variant, measured by engine/python_runner.h.
#include "compilescope/python.h"
#include "engine/variant_registry.h"

#include <cstdlib>
#include <stdexcept>
#include <unistd.h>

namespace compilescope::engine {

namespace {

/// Whether `program` names an executable file, directly or through PATH.
bool executable_found(const std::string& program)
{
    if (program.find('/') != std::string::npos)
        return ::access(program.c_str(), X_OK) == 0;
    const char* path = std::getenv("PATH");
    std::string directories = path ? path : "/usr/bin:/bin";
    size_t start = 0;
    while (start <= directories.size()) {
        size_t end = directories.find(':', start);
        if (end == std::string::npos)
            end = directories.size();
        const std::string directory = directories.substr(start, end - start);
        if (!directory.empty() && ::access((directory + "/" + program).c_str(), X_OK) == 0)
            return true;
        start = end + 1;
    }
    return false;
}

class PythonVariant : public Variant {
public:
    PythonVariant(const char* name, std::string description, bool needs_cuda)
        : m_name(name)
        , m_description(std::move(description))
        , m_needs_cuda(needs_cuda)
    {
    }

    std::string name() const override { return m_name; }
    std::string description() const override { return m_description; }
    bool compiles() const override { return true; }

    Availability availability(Device device) const override
    {
        static const SweepConfig defaults; // the build's Python
        return availability(device, defaults);
    }

    /// Cheap checks only (validation calls this): whether torch imports in that Python takes seconds to learn,
    /// so the runner finds out when it starts the child, and every Python measurement is unavailable if not.
    Availability availability(Device device, const SweepConfig& config) const override
    {
        Availability runs = device_availability(device);
        if (!runs.available)
            return runs;
        if (m_needs_cuda && device != Device::cuda)
            return { false, "reduce-overhead replays CUDA graphs: it needs device cuda" };
        return python_script_availability(reference_script_path(), "torch_compile_reference.py", config);
    }

    PhaseProgram build(const PhaseInputs&) const override
    {
        throw std::logic_error(m_name + " is measured by the Python runner, not built in C++");
    }

private:
    std::string m_name;
    std::string m_description;
    bool m_needs_cuda;
};

} // namespace

Availability python_script_availability(const std::string& script, const std::string& name, const SweepConfig& config)
{
    if (script.empty())
        return { false, "the script " + name + " is not installed" };
    const std::string python = resolve_python(config.python);
    if (!executable_found(python))
        return { false, "no Python executable " + python + " (set it with --python or in the settings)" };
    return { true, "Python " + python };
}

std::shared_ptr<const Variant> make_py_eager_variant()
{
    return std::make_shared<PythonVariant>(py_eager_variant,
        "Python eager: the same math in Python (tools/reference/torch_compile_reference.py) on the same tensors, "
        "in a child process; what the seed report calls Uncompiled",
        false);
}

std::shared_ptr<const Variant> make_torch_compile_variant()
{
    return std::make_shared<PythonVariant>(torch_compile_variant,
        "torch.compile (default mode: Dynamo, AOTAutograd, Inductor) of the Python math, in a child process; "
        "what the seed report calls Compiled. Compile time is its first call",
        false);
}

std::shared_ptr<const Variant> make_torch_compile_ro_variant()
{
    return std::make_shared<PythonVariant>(torch_compile_ro_variant,
        "torch.compile(mode=\"reduce-overhead\"): Inductor's kernels replayed through CUDA graphs, in a child process",
        true);
}

} // namespace compilescope::engine
