// The public entry points of a sweep: each checks the configuration and what it needs (the trace directory, the
// allocator policy, TF32) before the runner (engine/sweep_runner.h) measures anything.
#include "compilescope/engine/sweep.h"

#include "compilescope/allocator.h"
#include "compilescope/file_io.h"
#include "compilescope/validation.h"
#include "engine/sweep_runner.h"
#include "engine/tf32_scope.h"

#include <filesystem>
#include <stdexcept>

namespace compilescope {

namespace {

/// Creates the trace directory and checks that it takes files before anything is measured, so that a bad
/// directory costs nothing; std::invalid_argument names the field and the reason.
void prepare_trace_directory(const std::string& directory)
{
    if (directory.empty()) {
        return;
    }
    try {
        std::filesystem::create_directories(directory);
        check_writable(directory + "/.compilescope-write-check");
    } catch (const std::exception& error) {
        throw std::invalid_argument("trace_dir: cannot keep traces in " + directory + ": " + error.what());
    }
}

void throw_if_invalid(const SweepConfig& config)
{
    const std::vector<ConfigError> errors = validate_config(config);
    if (!errors.empty()) {
        throw std::invalid_argument(format_errors(errors));
    }
}

} // namespace

std::vector<AotiPackageOutcome> export_aoti_packages(
    const SweepConfig& config, const SweepCallbacks& callbacks, const CancelToken& cancel)
{
    throw_if_invalid(config);
    apply_allocator_policy(config.allocator);
    const engine::Tf32Scope tf32(config);
    return engine::make_aoti_packages(config, callbacks, cancel, engine::plan_cells(config));
}

RunResult run_sweep(const SweepConfig& config, const SweepCallbacks& callbacks, const CancelToken& cancel)
{
    throw_if_invalid(config);
    prepare_trace_directory(config.trace_dir);
    return engine::run_sweep_plan(config, callbacks, cancel, nullptr);
}

RunResult resume_sweep(const RunResult& partial, const SweepCallbacks& callbacks, const CancelToken& cancel)
{
    throw_if_invalid(partial.config);
    prepare_trace_directory(partial.config.trace_dir);
    return engine::run_sweep_plan(partial.config, callbacks, cancel, &partial);
}

} // namespace compilescope
