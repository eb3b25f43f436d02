// The sweep runner: builds, checks against eager and times every (cell, phase, variant) of a validated plan, and
// reports each as it finishes.
#include "engine/sweep_runner.h"

#include "compilescope/allocator.h"
#include "compilescope/engine/environment.h"
#include "compilescope/engine/run_estimate.h"
#include "compilescope/eta_calibration.h"
#include "compilescope/failpoints.h"
#include "compilescope/machine_load.h"
#include "compilescope/python.h"
#include "compilescope/text_format.h"
#include "compilescope/text_utf8.h"
#include "compilescope/variant_names.h"
#include "cost_model.h"
#include "engine/aoti_exporter.h"
#include "engine/correctness.h"
#include "engine/cpu_block_cache.h"
#include "engine/device_health.h"
#include "engine/device_memory.h"
#include "engine/device_peaks.h"
#include "engine/eager_reference.h"
#include "engine/gpu_processes.h"
#include "engine/phase_timer.h"
#include "engine/profiled_pass.h"
#include "engine/python_runner.h"
#include "engine/tf32_scope.h"
#include "engine/variant_registry.h"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <ctime>
#include <map>
#include <new>
#include <optional>
#include <set>
#include <stdexcept>
#include <thread>
#include <utility>

#include <unistd.h>

namespace compilescope {

namespace {

using engine::Cell;
using engine::plan_cells;
using Clock = std::chrono::steady_clock;

/// Bound on the untimed iterations that wait for the kept heap to stop growing (see PhaseTimer::settle).
constexpr int max_settle_iters = 10;

/// The cause of an error in a line or two: LibTorch's backtrace dropped, TorchScript's traceback skipped to the
/// error it ends with.
std::string short_error(std::string text)
{
    const std::string marker = "RuntimeError: ";
    const size_t cause = text.rfind(marker);
    if (cause != std::string::npos) {
        text = text.substr(cause + marker.size());
    }
    std::string result;
    size_t start = 0;
    for (int lines = 0; lines < 2 && start < text.size();) {
        size_t end = text.find('\n', start);
        if (end == std::string::npos) {
            end = text.size();
        }
        const std::string line = text.substr(start, end - start);
        if (line.find_first_not_of(' ') != std::string::npos) {
            result += (result.empty() ? "" : " ") + line;
            ++lines;
        }
        start = end + 1;
    }
    return result.size() > 300 ? result.substr(0, 297) + "..." : result;
}

std::string iso_timestamp(std::chrono::system_clock::time_point when)
{
    const std::time_t seconds = std::chrono::system_clock::to_time_t(when);
    std::tm local {};
    localtime_r(&seconds, &local);
    char buffer[40];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S%z", &local);
    std::string text = buffer;
    // %z gives +0100; ISO 8601's extended format wants +01:00.
    if (text.size() >= 5) {
        text.insert(text.size() - 2, ":");
    }
    return text;
}

std::vector<std::string> dtype_notes(const Cell& cell)
{
    const std::string dtype = to_string(cell.dtype);
    switch (cell.dtype) {
    case Dtype::bf16:
    case Dtype::fp16:
        if (cell.workload == Workload::attention) {
            return { dtype + ": Q, K, V and the output gradient are cast to " + dtype };
        }
        return { dtype + ": parameters are cast to " + dtype + "; RMSNorm and the loss compute in fp32" };
    case Dtype::tf32:
        // Validation allows tf32 on CUDA only.
        return { "tf32: fp32 tensors, matmuls in TF32 (allowTF32CuBLAS)" };
    case Dtype::fp32:
        break;
    }
    return {};
}

class SweepRunner {
public:
    SweepRunner(const SweepConfig& config, const SweepCallbacks& callbacks, const CancelToken& cancel,
        const RunResult* resumed = nullptr)
        : m_config(config)
        , m_callbacks(callbacks)
        , m_cancel(cancel)
        , m_start(Clock::now())
        , m_finished_before(resumed ? resumed->measurements : std::vector<Measurement> {})
        , m_first_started_at(resumed ? resumed->started_at : std::string())
    {
    }

    RunResult run()
    {
        const auto started = std::chrono::system_clock::now();
        m_start = Clock::now();
        m_result.config = m_config;
        m_result.started_at = m_first_started_at.empty() ? iso_timestamp(started) : m_first_started_at;
        if (m_config.threads > 0) {
            at::set_num_threads(m_config.threads);
        }
        apply_allocator_policy(m_config.allocator);
        engine::keep_cpu_blocks(m_config.allocator == AllocatorPolicy::keep);
        m_result.environment = collect_environment();
        m_result.environment.python = valid_utf8(resolve_python(m_config.python)); // a path the user typed
        const engine::Tf32Scope tf32(m_config);
        add_device_peaks();
        if (m_callbacks.on_started) {
            m_callbacks.on_started(m_result);
        }
        open_gpu_processes();
        warn_if_busy();

        const std::vector<Cell> cells = plan_cells(m_config);
        for (const Cell& cell : cells) {
            m_total += int(selected_phases(m_config, cell.workload).size() * m_config.variants.size());
        }
        // Before the exports, so that it counts the packages the cache lacks now.
        m_eta.emplace(estimate_run(m_config, m_result.environment.peaks));
        export_aoti_packages(cells);
        m_eta->measuring_started(elapsed_s());
        bool handed_over = false;
        for (const Cell& cell : cells) {
            for (Phase phase : selected_phases(m_config, cell.workload)) {
                if (handed_over) {
                    break;
                }
                const bool lost_before = !m_device_lost.empty();
                if (!report_finished_before(cell, phase)) {
                    run_phase(cell, phase);
                }
                if (!lost_before && !m_device_lost.empty()) { // lost in this phase: asked once
                    handed_over = m_callbacks.on_device_unusable && m_callbacks.on_device_unusable(m_device_lost);
                }
            }
        }

        m_python.reset();
        report_progress("");
        m_result.cancelled = m_cancel.cancelled() || handed_over;
        m_result.finished_at = iso_timestamp(std::chrono::system_clock::now());
        m_result.wall_time_s = std::chrono::duration<double>(Clock::now() - m_start).count();
        return std::move(m_result);
    }

private:
    Measurement planned(const Cell& cell, Phase phase, const std::string& variant) const
    {
        return engine::planned_measurement(cell, phase, variant, engine::live_cpp_programs(m_config.variants));
    }

    /// A look at the machine before anything is timed (a fifth of a second): a busy one makes every timing noisy,
    /// and the user may rather wait. Each measurement's own load is recorded as it is timed.
    void warn_if_busy() const
    {
        const std::optional<LoadProbe> before = LoadProbe::now();
        const std::optional<std::set<unsigned>> gpu_before = gpu_pids();
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        const std::optional<LoadProbe> after = LoadProbe::now();
        if (before && after) {
            MachineLoad load = after->since(*before);
            load.gpu_other_processes = gpu_others(gpu_before, gpu_pids());
            if (load.busy()) {
                log("warning: the machine is busy: " + describe(load)
                    + "; timings will be noisy, and measurements taken under load are marked");
            }
        }
    }

    /// On CUDA, NVML's view of the GPU's processes; said once when it cannot be had.
    void open_gpu_processes()
    {
        if (m_config.device != Device::cuda) {
            return;
        }
        std::string why_not;
        m_gpu_processes = engine::GpuProcesses::open(&why_not);
        if (!m_gpu_processes) {
            log("other processes on the GPU are not recorded: " + why_not);
        }
    }

    std::optional<std::set<unsigned>> gpu_pids() const
    {
        return m_gpu_processes ? m_gpu_processes->pids() : std::nullopt;
    }

    /// The processes other than the sweep's (this one, its parent, its Python child) on the GPU at either end of a
    /// window; nullopt when either look failed or NVML's IDs are another PID namespace's.
    std::optional<int> gpu_others(
        const std::optional<std::set<unsigned>>& before, const std::optional<std::set<unsigned>>& after) const
    {
        if (!before || !after) {
            return std::nullopt;
        }
        std::set<unsigned> listed = *before;
        listed.insert(after->begin(), after->end());
        std::set<unsigned> ours { unsigned(::getppid()) };
        if (const std::optional<unsigned> child = m_python ? m_python->pid() : std::nullopt) {
            ours.insert(*child);
        }
        // A look before this process's first CUDA work cannot find it; the end of the window can.
        return engine::other_processes(listed, unsigned(::getpid()), ours);
    }

    /// Why the phase does not fit in memory (its estimate exceeds the limit), or "".
    std::string memory_skip_reason(const Cell& cell, Phase phase) const
    {
        const int64_t needed
            = engine::estimated_memory_bytes(cell, phase, engine::live_cpp_programs(m_config.variants));
        const bool explicit_limit = m_config.memory_limit_bytes > 0;
        const int64_t limit
            = explicit_limit ? m_config.memory_limit_bytes : engine::available_memory_bytes(cell.device);
        if (limit <= 0 || needed <= limit) {
            return "";
        }
        return "estimated memory " + bytes_text(needed) + " (" + std::to_string(needed) + " bytes) exceeds "
            + (explicit_limit ? "memory_limit_bytes " : "available memory ") + bytes_text(limit) + " ("
            + std::to_string(limit) + " bytes)";
    }

    /// Makes the AOTInductor packages the sweep's AOTInductor variants need, before anything is timed (exports load
    /// every core). Their outcomes decide those measurements: a package that could not be made is unavailable or
    /// failed with the exporter's reason, without a build.
    void export_aoti_packages(const std::vector<Cell>& cells)
    {
        bool wanted = false;
        for (const std::string& name : m_config.variants) {
            const auto variant = engine::find_variant(name);
            wanted = wanted
                || (is_aot_inductor_variant(name) && variant
                    && variant->availability(m_config.device, m_config).available);
        }
        if (!wanted) {
            return;
        }
        try {
            for (const AotiPackageOutcome& outcome : make_aoti_packages(cells)) {
                m_aoti_outcomes[outcome.directory] = outcome;
                // The Python that exported is the build's (or --python): its torch goes into the environment, as
                // the Python variants' child reports it.
                if (m_result.environment.python_torch_version.empty()) {
                    m_result.environment.python_torch_version = outcome.exporter_torch;
                }
            }
        } catch (const std::exception& error) {
            m_aoti_error = error.what();
            log("AOTInductor variants are unavailable: " + m_aoti_error);
        }
    }

public:
    /// The packages of every cell and phase that fits in memory, exported where the cache lacks them. Throws when
    /// the cache cannot be used.
    std::vector<AotiPackageOutcome> make_aoti_packages(const std::vector<Cell>& cells)
    {
        std::vector<AotiPackageOutcome> outcomes;
        if (cells.empty()) {
            return outcomes;
        }
        engine::check_package_cache(cells.front().aoti_cache);
        std::vector<engine::AotiPackageRequest> requests;
        for (const Cell& cell : cells) {
            for (Phase phase : selected_phases(m_config, cell.workload)) {
                if (m_cancel.cancelled() || !memory_skip_reason(cell, phase).empty()) {
                    continue;
                }
                try {
                    requests.push_back(
                        engine::aoti_package_request(engine::make_phase_inputs(cell, phase), cell.aoti_cache));
                } catch (const std::exception& error) {
                    log("no AOTInductor package for " + cell_label(cell.key()) + " " + to_string(phase) + ": "
                        + short_error(error.what()));
                }
            }
        }
        engine::AotiExportOptions options;
        options.python = resolve_python(m_config.python);
        options.jobs = m_config.aoti_jobs > 0 ? m_config.aoti_jobs : engine::default_aoti_jobs();
        options.timeout_s = m_config.aoti_timeout_s;
        options.inductor_cache = cells.front().aoti_cache + "/inductor";
        options.threads = m_config.threads;
        if (m_eta) {
            m_eta->exports_started(elapsed_s());
        }
        report_progress("exporting AOTInductor packages");
        const std::vector<engine::AotiExportOutcome> exported = engine::export_aoti_packages(
            requests, options,
            [this](int done, int total, const std::string& label) {
                if (m_eta) {
                    m_eta->exports_progress(done, elapsed_s());
                }
                report_progress("exported AOTInductor package " + std::to_string(done) + " of " + std::to_string(total)
                    + " (" + label + ")");
            },
            [this](const std::string& line) { log(line); }, m_cancel);
        for (size_t i = 0; i < requests.size(); ++i) {
            outcomes.push_back({ requests[i].label, requests[i].directory, exported[i].status, exported[i].cached,
                exported[i].seconds, exported[i].message, exported[i].exporter_torch });
        }
        return outcomes;
    }

private:
    /// The export outcome of an AOTInductor measurement: false (with the measurement set) when there is no package.
    bool aoti_package_ready(const engine::PhaseInputs& inputs, Measurement& measurement)
    {
        auto unusable = [&measurement](MeasurementStatus status, const std::string& message) {
            measurement.status = status;
            measurement.message = message;
            return false;
        };
        if (!m_aoti_error.empty()) {
            return unusable(MeasurementStatus::unavailable, m_aoti_error);
        }
        const auto found = m_aoti_outcomes.find(engine::aoti_package_request(inputs, inputs.cell.aoti_cache).directory);
        if (found == m_aoti_outcomes.end()) {
            return unusable(MeasurementStatus::unavailable, "no AOTInductor package was made for this cell");
        }
        const AotiPackageOutcome& outcome = found->second;
        if (outcome.status != MeasurementStatus::ok) {
            if (outcome.status == MeasurementStatus::failed) {
                fail(measurement, outcome.message);
                return false;
            }
            return unusable(outcome.status, outcome.message);
        }
        measurement.notes.emplace_back(
            outcome.cached ? "AOTInductor package: from the cache" : "AOTInductor package: exported in this sweep");
        return true;
    }

    void run_phase(const Cell& cell, Phase phase)
    {
        if (m_cancel.cancelled() || !m_device_lost.empty()) {
            for (const std::string& variant : m_config.variants) {
                Measurement measurement = not_started(cell, phase, variant);
                if (!m_device_lost.empty()) {
                    measurement.message = "not started: " + m_device_lost;
                }
                finish(std::move(measurement));
            }
            return;
        }
        engine::release_cached_memory(cell.device);
        report_leak(cell, phase);
        if (const std::string reason = memory_skip_reason(cell, phase); !reason.empty()) {
            log("skipped " + cell_label(cell.key()) + " " + to_string(phase) + ": " + reason);
            for (const std::string& variant : m_config.variants) {
                report_progress(measurement_label(cell.key(), phase, variant));
                Measurement measurement = planned(cell, phase, variant);
                measurement.status = MeasurementStatus::skipped;
                measurement.message = reason;
                finish(std::move(measurement));
            }
            return;
        }

        const size_t count = m_config.variants.size();
        std::vector<Measurement> measurements;
        for (const std::string& variant : m_config.variants) {
            measurements.push_back(planned(cell, phase, variant));
        }
        engine::PhaseInputs inputs;
        try {
            inputs = engine::make_phase_inputs(cell, phase);
        } catch (const std::exception& error) {
            for (Measurement& measurement : measurements) {
                measurement.status = MeasurementStatus::failed;
                measurement.message = "building the inputs failed: " + short_error(error.what());
            }
            (void)device_fit_after(cell, measurements.front()); // the next phase's inputs need a sound device too
            for (Measurement& measurement : measurements) {
                finish(std::move(measurement));
            }
            return;
        }

        // Every C++ variant is built, warmed up and checked first; those that are ready are then timed in turns.
        const engine::PhaseTimer timer(cell.device, m_cancel, m_config.measure.flush_l2);
        engine::EagerReference reference;
        std::vector<std::optional<engine::PhaseProgram>> programs(count);
        std::vector<size_t> python;
        for (size_t i = 0; i < count; ++i) {
            Measurement& measurement = measurements[i];
            if (m_cancel.cancelled()) {
                measurement = not_started(cell, phase, measurement.variant);
                continue;
            }
            if (const Measurement* before = failed_before(cell, phase, measurement.variant)) {
                measurement = *before; // a failure is a result: a resume does not run it again (a crash, say)
                if (measurement.variant == eager_variant) {
                    reference.fail("eager failed before the resume: " + measurement.message);
                }
                continue;
            }
            report_running(measurement_label(cell.key(), phase, measurement.variant) + ": building and warming up",
                cell.key(), phase, { measurement.variant });
            const std::shared_ptr<const engine::Variant> variant = usable_variant(cell, measurement);
            if (variant && variant->python()) {
                python.push_back(i);
            } else if (variant) {
                programs[i] = prepare(inputs, *variant, reference, timer, measurement);
                if (!device_fit_after(cell, measurement)) {
                    programs.clear();
                    finish_phase_on_lost_device(measurements);
                    return;
                }
            }
            if (measurement.variant == eager_variant && !reference.get()) {
                reference.fail("eager " + to_string(measurement.status) + ": " + measurement.message);
            }
        }
        time_programs(cell, phase, timer, programs, measurements);
        std::vector<bool> timed(count);
        for (size_t i = 0; i < count; ++i) {
            timed[i] = programs[i].has_value();
        }
        programs.clear(); // their memory is not the Python variants' business
        if (!python.empty()) {
            engine::release_cached_memory(cell.device); // nor what the allocator kept of it: the child needs it
        }
        for (size_t i = 0; i < count; ++i) {
            // Those that failed while being prepared were checked then.
            if (timed[i] && measurements[i].status == MeasurementStatus::failed) {
                report_running(measurement_label(measurements[i]) + ": checking the device", cell.key(), phase,
                    { measurements[i].variant });
            }
            if (timed[i] && !device_fit_after(cell, measurements[i])) {
                finish_phase_on_lost_device(measurements);
                return;
            }
        }
        // The C++ variants are done: reported now, before the Python ones (which may take minutes to compile).
        for (size_t i = 0; i < count; ++i) {
            if (std::find(python.begin(), python.end(), i) == python.end()) {
                finish(std::move(measurements[i]));
            }
        }
        if (cell.workload == Workload::model_file) {
            // py-eager's tensors are the reference of the others: it goes first, whatever the variants' order.
            std::stable_partition(python.begin(), python.end(),
                [&measurements](size_t i) { return measurements[i].variant == py_eager_variant; });
        }
        for (size_t i : python) {
            if (m_cancel.cancelled()) {
                finish(not_started(cell, phase, measurements[i].variant));
                continue;
            }
            report_running(measurement_label(cell.key(), phase, measurements[i].variant), cell.key(), phase,
                { measurements[i].variant });
            measure_in_python(inputs, reference, measurements[i]);
            finish(std::move(measurements[i]));
        }
    }

    /// After a C++ measurement failed: mends the device (restore_device: what a failed CUDA capture leaves) for the
    /// next one, or records that this process cannot use it any more. False when the device is lost.
    bool device_fit_after(const Cell& cell, const Measurement& measurement)
    {
        if (!m_device_lost.empty()) {
            return false;
        }
        if (measurement.status != MeasurementStatus::failed) {
            return true;
        }
        // The "device_lost" failpoint stands for a device restore_device cannot mend, on any device.
        const std::optional<std::string> injected = failpoints::hit("device_lost");
        const std::string problem
            = injected ? "injected fault (" + *injected + ")" : engine::restore_device(cell.device);
        if (problem.empty()) {
            return true;
        }
        m_device_lost = "the " + to_string(cell.device) + " device is unusable in this process since "
            + measurement_label(measurement) + " failed: " + problem;
        log(m_device_lost);
        return false;
    }

    /// The phase in which the device was lost, reported whole (so that a resume goes on with the next phase rather
    /// than running the failure again): what finished as it was, the rest failed with the reason.
    void finish_phase_on_lost_device(std::vector<Measurement>& measurements)
    {
        for (Measurement& measurement : measurements) {
            const bool finished = measurement.status != MeasurementStatus::ok || measurement.stats.n > 0;
            if (!finished) {
                fail(measurement, "not measured: " + m_device_lost);
            }
            finish(std::move(measurement));
        }
    }

    /// The device memory a finished cell left allocated, compared with the first phase's start: the sweep's tensors
    /// are freed between phases, so growth is a leak (a failed capture's pool, a cache that holds tensors).
    void report_leak(const Cell& cell, Phase phase)
    {
        const int64_t allocated = engine::allocated_device_bytes(cell.device);
        if (!m_allocated_at_start) {
            m_allocated_at_start = allocated;
            m_leak_reported = allocated;
            return;
        }
        constexpr int64_t tolerance = 1 << 20;
        if (allocated > m_leak_reported + tolerance) {
            log("memory leak: " + bytes_text(allocated - *m_allocated_at_start) + " more allocated on "
                + to_string(cell.device) + " before " + cell_label(cell.key()) + " " + to_string(phase)
                + " than before the sweep's first phase (" + bytes_text(allocated) + " now)");
            m_leak_reported = allocated;
        }
    }

    /// A resumed sweep: when every variant of this cell and phase finished before, reports those measurements and
    /// returns true.
    bool report_finished_before(const Cell& cell, Phase phase)
    {
        std::vector<const Measurement*> found;
        for (const std::string& variant : m_config.variants) {
            const auto match
                = std::find_if(m_finished_before.begin(), m_finished_before.end(), [&](const Measurement& m) {
                      return m.cell == cell.key() && m.phase == phase && m.variant == variant
                          && m.status != MeasurementStatus::cancelled;
                  });
            if (match == m_finished_before.end()) {
                return false;
            }
            found.push_back(&*match);
        }
        for (const Measurement* measurement : found) {
            report_progress(
                measurement_label(cell.key(), phase, measurement->variant) + ": finished before the resume");
            finish(*measurement, /*ran_now=*/false);
        }
        return true;
    }

    /// A resumed sweep's failed measurement of this variant, cell and phase, or nullptr.
    const Measurement* failed_before(const Cell& cell, Phase phase, const std::string& variant) const
    {
        const auto match = std::find_if(m_finished_before.begin(), m_finished_before.end(), [&](const Measurement& m) {
            return m.cell == cell.key() && m.phase == phase && m.variant == variant
                && m.status == MeasurementStatus::failed;
        });
        return match == m_finished_before.end() ? nullptr : &*match;
    }

    Measurement not_started(const Cell& cell, Phase phase, const std::string& variant) const
    {
        Measurement measurement = planned(cell, phase, variant);
        measurement.status = MeasurementStatus::cancelled;
        measurement.message = "not started: the sweep was cancelled";
        return measurement;
    }

    /// The variant when it can run here; otherwise nullptr, with the measurement saying why.
    std::shared_ptr<const engine::Variant> usable_variant(const Cell& cell, Measurement& measurement)
    {
        const std::string& name = measurement.variant;
        std::shared_ptr<const engine::Variant> variant = engine::find_variant(name);
        if (!variant) {
            measurement.status = MeasurementStatus::unavailable;
            measurement.message = "unknown variant '" + name + "'";
            return nullptr;
        }
        if (cell.workload == Workload::model_file && !variant->python()) {
            measurement.status = MeasurementStatus::unavailable;
            measurement.message = "a model file's module lives in Python: the C++ variants need it exported "
                                  "(torch.export, torch.jit.trace), which model files do not have yet";
            return nullptr;
        }
        const engine::Availability availability = variant->availability(cell.device, m_config);
        if (!availability.available) {
            measurement.status = MeasurementStatus::unavailable;
            measurement.message = availability.reason;
            if (m_logged_unavailable.insert(name).second) {
                log(name + " is unavailable on " + to_string(cell.device) + ": " + availability.reason);
            }
            return nullptr;
        }
        if (!availability.reason.empty()) {
            measurement.notes.push_back(availability.reason);
        }
        for (const std::string& note : dtype_notes(cell)) {
            measurement.notes.push_back(note);
        }
        return variant;
    }

    /// Runs `work`, turning what it throws into the measurement's status and message.
    template <typename Work> void guarded(Measurement& measurement, Work&& work)
    {
        try {
            work();
        } catch (const engine::VariantUnavailable& unavailable) {
            measurement.status = MeasurementStatus::unavailable;
            measurement.message = unavailable.what();
            log(measurement_label(measurement) + " is unavailable: " + unavailable.what());
        } catch (const c10::Error& error) {
            fail(measurement, short_error(error.what_without_backtrace()));
        } catch (const std::bad_alloc&) {
            fail(measurement, "out of memory (std::bad_alloc)");
        } catch (const std::exception& error) {
            fail(measurement, short_error(error.what()));
        }
    }

    /// The "measurement" failpoint (compilescope/failpoints.h): a test makes this measurement fail as a real one does.
    static void inject_fault()
    {
        const std::optional<std::string> action = failpoints::hit("measurement");
        if (action == "bad_alloc") {
            throw std::bad_alloc();
        }
        if (action == "stall") {
            // An operator that cannot be interrupted: a cancel is not seen until it returns.
            std::this_thread::sleep_for(std::chrono::seconds(30));
            return;
        }
        if (action) {
            throw std::runtime_error("injected fault (" + *action + ")");
        }
    }

    /// Builds the variant, times its first call, warms it up, checks it against eager and reads the memory it
    /// needs: the program, ready to be timed, or nullopt with the measurement saying why not.
    std::optional<engine::PhaseProgram> prepare(const engine::PhaseInputs& inputs, const engine::Variant& variant,
        engine::EagerReference& reference, const engine::PhaseTimer& timer, Measurement& measurement)
    {
        const Cell& cell = inputs.cell;
        const std::string& name = measurement.variant;
        if (failpoints::hit("crash") == name) {
            std::raise(SIGSEGV); // a variant that crashes the process, as a bad package or an abort in LibTorch does
        }
        if (is_aot_inductor_variant(name) && !aoti_package_ready(inputs, measurement)) {
            return std::nullopt;
        }
        std::optional<engine::PhaseProgram> ready;
        guarded(measurement, [&] {
            inject_fault();
            const engine::PeakMemoryMeter memory(cell.device);
            engine::PhaseProgram program;
            const double build_ms = timer.time_ms([&] { program = variant.build(inputs); });
            if (program.compile_ms) {
                measurement.compile_ms = program.compile_ms;
                measurement.notes.push_back("build (loading the compiled code) took " + fixed(build_ms, 1) + " ms");
                log("loaded " + measurement_label(cell.key(), inputs.phase, name) + " in " + fixed(build_ms, 1)
                    + " ms");
            } else if (variant.compiles()) {
                measurement.compile_ms = build_ms;
                log("built " + measurement_label(cell.key(), inputs.phase, name) + " in " + fixed(build_ms, 1) + " ms");
            }
            measurement.notes.insert(measurement.notes.end(), program.notes.begin(), program.notes.end());

            measurement.first_call_ms = timer.time_iteration(program);
            measurement.warmup_iters = std::max(m_config.measure.warmup_iters, program.min_warmup_iters);
            if (!timer.warm_up(program, measurement.warmup_iters)) {
                measurement = cancelled(std::move(measurement), "cancelled during warm-up");
                return;
            }

            const engine::PageFaultCounter check_faults;
            if (!check_against_eager(program, inputs, name, reference, measurement)) {
                return;
            }
            const bool steady = check_faults.bytes() < engine::unsteady_fault_bytes;
            if (!steady && cell.device == Device::cpu && m_config.allocator == AllocatorPolicy::keep) {
                const int settled = timer.settle(program, max_settle_iters);
                if (settled < 0) {
                    measurement = cancelled(std::move(measurement), "cancelled during warm-up");
                    return;
                }
                measurement.warmup_iters += settled;
                measurement.notes.push_back("warm-up: " + std::to_string(settled)
                    + " more iterations while the kept heap was still growing (page faults)");
            }
            measurement.peak_memory_bytes = memory.peak_bytes();
            measurement.memory_kind = memory.kind();
            ready = std::move(program);
        });
        return ready;
    }

    /// The timed iterations of every prepared program, in turns (MeasureConfig::interleave) or one after another,
    /// then each one's statistics, notes and profiled pass.
    void time_programs(const Cell& cell, Phase phase, const engine::PhaseTimer& timer,
        const std::vector<std::optional<engine::PhaseProgram>>& programs, std::vector<Measurement>& measurements)
    {
        std::vector<size_t> ready;
        for (size_t i = 0; i < programs.size(); ++i) {
            if (programs[i]) {
                ready.push_back(i);
            }
        }
        std::vector<engine::TimedIterations> timed(programs.size());
        auto time_in_turns = [&](const std::vector<size_t>& indices, const std::string& label) {
            std::vector<const engine::PhaseProgram*> turn;
            std::vector<std::string> running;
            for (size_t i : indices) {
                turn.push_back(&*programs[i]);
                running.push_back(measurements[i].variant);
            }
            report_running(label, cell.key(), phase, running);
            const std::optional<LoadProbe> before = LoadProbe::now();
            const std::optional<std::set<unsigned>> gpu_before = gpu_pids();
            const std::vector<engine::TimedIterations> results
                = timer.run_in_turns(turn, m_config.measure, [&](int iterations) {
                      report_running(
                          label + ", " + std::to_string(iterations) + " iterations", cell.key(), phase, running);
                  });
            const std::optional<LoadProbe> after = LoadProbe::now();
            const std::optional<int> gpu_others_now = gpu_others(gpu_before, gpu_pids());
            for (size_t k = 0; k < indices.size(); ++k) {
                timed[indices[k]] = results[k];
                if (before && after) { // the programs timed in turns shared the window, and its load
                    measurements[indices[k]].load = after->since(*before);
                    measurements[indices[k]].load->gpu_other_processes = gpu_others_now;
                }
            }
        };
        if (m_config.measure.interleave && ready.size() > 1) {
            time_in_turns(
                ready, measurement_label(cell.key(), phase, std::to_string(ready.size()) + " variants in turns"));
        } else {
            for (size_t i : ready) {
                time_in_turns({ i }, measurement_label(cell.key(), phase, measurements[i].variant) + ": timing");
            }
        }
        for (size_t i : ready) {
            complete(*programs[i], timer, timed[i], measurements[i]);
        }
    }

    /// A prepared measurement after its timed iterations: statistics, notes and the profiled pass.
    void complete(const engine::PhaseProgram& program, const engine::PhaseTimer& timer,
        const engine::TimedIterations& timed, Measurement& measurement)
    {
        // Its statistics, notes and profiled pass run code of the variant too: a crash here is this one's.
        report_running(measurement_label(measurement) + ": profiling and checking", measurement.cell, measurement.phase,
            { measurement.variant });
        if (timed.failure) {
            guarded(measurement, [&] { std::rethrow_exception(timed.failure); });
            return;
        }
        if (timed.cancelled) {
            measurement = cancelled(std::move(measurement),
                "cancelled after " + std::to_string(timed.samples_ms.size()) + " timed iterations");
            return;
        }
        measurement.samples_ms = timed.samples_ms;
        measurement.stats = summarize(timed.samples_ms);
        note_if_under_load(measurement);
        add_time_slice_grid_note(measurement);
        if (m_config.device == Device::cpu) {
            add_page_fault_note(timed, measurement);
        }
        guarded(measurement, [&] {
            if (program.inspect) {
                for (const std::string& note : program.inspect()) {
                    measurement.notes.push_back(note);
                }
            }
        });
        if (m_config.measure.profile && measurement.ok() && !m_cancel.cancelled()) {
            profile(measurement, [&](const std::string& trace_path) {
                return engine::run_profiled_pass(program, timer, m_config.device, m_config.measure.profile_iters,
                    measurement.stats.median_ms, trace_path);
            });
        }
    }

    /// The profiled pass, after the timed iterations and the memory reading so that neither sees the profiler.
    /// A pass that fails leaves the measurement as it was, with a note saying why.
    void profile(Measurement& measurement, const std::function<ProfileSummary(const std::string&)>& pass)
    {
        const std::string trace_path
            = m_config.trace_dir.empty() ? "" : m_config.trace_dir + "/" + engine::trace_file_name(measurement);
        try {
            measurement.profile = pass(trace_path);
        } catch (const std::exception& error) {
            measurement.notes.push_back("profiled pass failed: " + short_error(error.what()));
            log(measurement_label(measurement) + ": profiled pass failed: " + short_error(error.what()));
        }
    }

    /// The roofs of the run's roofline; a run without them still measures everything.
    void add_device_peaks()
    {
        try {
            m_result.environment.peaks = engine::device_peaks(m_result.environment, m_config.device, m_config.dtype);
            const DevicePeaks& peaks = m_result.environment.peaks;
            log("roofline: " + rate(peaks.flops_per_s, "FLOP/s") + ", " + rate(peaks.bytes_per_s, "B/s") + " ("
                + peaks.source + ")");
        } catch (const std::exception& error) {
            log("no roofline peaks for this device: " + short_error(error.what()));
        }
    }

    /// A Python variant: the child process times it on the same inputs; its results are checked here like any
    /// variant's, against C++ eager. A model file's reference is its py-eager measurement, which sets `reference`.
    void measure_in_python(
        const engine::PhaseInputs& inputs, engine::EagerReference& reference, Measurement& measurement)
    {
        const bool model_file = inputs.cell.workload == Workload::model_file;
        const bool sets_reference = model_file && measurement.variant == py_eager_variant;
        static const std::vector<engine::NamedTensor> every_tensor; // no names asked: the child's own, all of them
        const std::vector<engine::NamedTensor>* expected = sets_reference ? &every_tensor : reference.get();
        if (!expected && reference.is_unavailable()) {
            measurement.status = MeasurementStatus::unavailable;
            measurement.message = reference.error();
            return;
        }
        if (!expected) {
            fail(measurement,
                "no " + std::string(model_file ? "py-eager" : "eager")
                    + " reference to check against: " + reference.error());
            return;
        }
        if (!m_python) {
            m_python = std::make_unique<engine::PythonRunner>(m_config);
        }
        std::vector<std::string> names;
        for (const engine::NamedTensor& tensor : *expected) {
            names.push_back(tensor.name);
        }
        const std::optional<std::set<unsigned>> gpu_before = gpu_pids();
        engine::PythonMeasurement measured = m_python->measure(inputs, measurement.variant, names, m_cancel);
        const std::optional<int> gpu_others_now = gpu_others(gpu_before, gpu_pids());
        m_python_start_s += m_python->take_start_seconds();
        for (const std::string& line : m_python->take_log()) {
            log(line);
        }
        if (!m_python->torch_version().empty()) {
            m_result.environment.python_torch_version = m_python->torch_version();
        }
        switch (measured.status) {
        case MeasurementStatus::ok:
            break;
        case MeasurementStatus::failed:
            fail(measurement, measured.message);
            if (sets_reference)
                reference.fail("py-eager failed: " + measured.message);
            return;
        default:
            measurement.status = measured.status;
            measurement.message = measured.message;
            if (sets_reference && measured.status == MeasurementStatus::unavailable)
                reference.unavailable(measured.message);
            else if (sets_reference)
                reference.fail("py-eager " + to_string(measured.status) + ": " + measured.message);
            return;
        }
        measurement.notes.insert(measurement.notes.end(), measured.notes.begin(), measured.notes.end());
        measurement.compile_ms = measured.compile_ms;
        measurement.first_call_ms = measured.first_call_ms;
        measurement.warmup_iters = measured.warmup_iters;
        measurement.samples_ms = std::move(measured.samples_ms);
        measurement.stats = summarize(measurement.samples_ms);
        measurement.load = measured.load;
        measurement.compile_explained = std::move(measured.compile_explained);
        if (measurement.load) {
            measurement.load->gpu_other_processes = gpu_others_now;
        }
        note_if_under_load(measurement);
        add_time_slice_grid_note(measurement);
        measurement.peak_memory_bytes = measured.peak_memory_bytes;
        measurement.memory_kind = measured.memory_kind;
        if (sets_reference) {
            measurement.notes.emplace_back("the reference of this model file's checks: every other variant's "
                                           "tensors are compared with these");
            reference.set(std::move(measured.results));
        } else if (model_file) {
            // The file's own tensors, paired by name; the train step's are its loss and gradients (AdamW is the same
            // eager torch.optim code in every variant).
            measurement.correctness = engine::compare_results(*expected, measured.results, inputs.cell.dtype);
        } else {
            measurement.correctness = engine::check_results(
                inputs, *expected, measured.results, [&reference, &inputs] { return reference.fp32(inputs); });
        }
        if (!sets_reference && !measurement.correctness.passed) {
            fail(measurement,
                std::string("correctness check against ") + (model_file ? "py-eager" : "eager")
                    + " failed: " + measurement.correctness.detail);
            return;
        }
        if (measured.profile_pass_ms) {
            profile(measurement, [&](const std::string& keep_path) {
                ProfileSummary summary = engine::summarize_trace_file(
                    measured.profile_trace, inputs.cell.device, measurement.stats.median_ms, keep_path);
                summary.pass_ms = *measured.profile_pass_ms;
                return summary;
            });
        }
    }

    static void note_if_under_load(Measurement& measurement)
    {
        if (taken_under_load(measurement)) {
            measurement.notes.push_back(under_load_note(*measurement.load));
        }
    }

    /// A steady loop reuses its memory; faults in the timed region mean the allocator handed memory back to the
    /// system between iterations (glibc's defaults do that for large blocks), which the timings then include.
    static void add_page_fault_note(const engine::TimedIterations& timed, Measurement& measurement)
    {
        const double per_iteration = timed.faulted_bytes / double(timed.samples_ms.size());
        if (per_iteration >= engine::unsteady_fault_bytes) {
            measurement.notes.push_back("page faults: " + bytes_text(int64_t(per_iteration))
                + " of fresh memory per timed iteration, included in the timings (the allocator handed memory back "
                  "or grew its heap)");
        }
    }

    /// Runs one call from the initial state and compares its tensors with eager's (eager records them instead).
    /// False when the measurement failed the check.
    bool check_against_eager(const engine::PhaseProgram& program, const engine::PhaseInputs& inputs,
        const std::string& name, engine::EagerReference& reference, Measurement& measurement)
    {
        if (program.reset) {
            program.reset();
        }
        if (program.setup) {
            program.setup();
        }
        program.step();
        std::vector<engine::NamedTensor> tensors = program.results();
        if (name == eager_variant) {
            reference.set(std::move(tensors));
            return true;
        }
        const std::vector<engine::NamedTensor>* expected = reference.get();
        if (!expected) {
            fail(measurement, "no eager reference to check against: " + reference.error());
            return false;
        }
        measurement.correctness = engine::check_results(
            inputs, *expected, tensors, [&reference, &inputs] { return reference.fp32(inputs); });
        if (!measurement.correctness.passed) {
            fail(measurement, "correctness check against eager failed: " + measurement.correctness.detail);
            return false;
        }
        return true;
    }

    void fail(Measurement& measurement, const std::string& message)
    {
        measurement.status = MeasurementStatus::failed;
        measurement.message = message;
        log("failed " + measurement_label(measurement) + ": " + message);
    }

    /// Samples on the scheduler's time-slice grid measured the scheduler: the run says so, as for a busy machine.
    static void add_time_slice_grid_note(Measurement& measurement)
    {
        if (const std::optional<std::string> note = time_slice_grid_note(measurement.samples_ms)) {
            measurement.notes.push_back(*note);
        }
    }

    static Measurement cancelled(Measurement measurement, const std::string& message)
    {
        measurement.status = MeasurementStatus::cancelled;
        measurement.message = message;
        return measurement;
    }

    /// Records a finished measurement. `ran_now`: false for one a resumed sweep has from before (it took no time).
    void finish(Measurement measurement, bool ran_now = true)
    {
        ++m_completed;
        if (m_eta) {
            const bool ran = ran_now
                && (measurement.status == MeasurementStatus::ok || measurement.status == MeasurementStatus::failed);
            // Its compile, and the Python child's start if it started it: one-off work, calibrated apart.
            const double one_off_s = measurement.compile_ms.value_or(0) / 1000 + std::exchange(m_python_start_s, 0);
            m_eta->finished(measurement.cell, measurement.phase, measurement.variant, ran, one_off_s, elapsed_s());
        }
        m_result.measurements.push_back(std::move(measurement));
        if (m_callbacks.on_measurement) {
            m_callbacks.on_measurement(m_result.measurements.back());
        }
    }

    void report_progress(const std::string& current) { report_running(current, {}, Phase::forward, {}); }

    /// Progress while `running` (variants of one cell and phase) are in flight: what a worker that dies now was
    /// doing (SweepProgress::running).
    void report_running(const std::string& current, const CellKey& cell, Phase phase, std::vector<std::string> running)
    {
        if (!m_callbacks.on_progress) {
            return;
        }
        SweepProgress progress;
        progress.running = std::move(running);
        progress.running_cell = cell;
        progress.running_phase = phase;
        progress.completed = m_completed;
        progress.total = m_total;
        progress.current = current;
        progress.elapsed_s = elapsed_s();
        if (m_completed == m_total) {
            progress.eta_s = 0;
        } else if (m_eta) {
            progress.eta_s = m_eta->remaining_s(progress.elapsed_s);
        }
        m_callbacks.on_progress(progress);
    }

    double elapsed_s() const { return std::chrono::duration<double>(Clock::now() - m_start).count(); }

    void log(const std::string& line) const
    {
        if (m_callbacks.on_log) {
            m_callbacks.on_log(line);
        }
    }

    const SweepConfig& m_config;
    const SweepCallbacks& m_callbacks;
    const CancelToken& m_cancel;
    RunResult m_result;
    Clock::time_point m_start;
    int m_completed = 0;
    int m_total = 0;
    /// The time left, from the estimate before the sweep as what finished recalibrates it; empty until the sweep
    /// starts (and in an export on its own).
    std::optional<EtaCalibration> m_eta;
    double m_python_start_s = 0; ///< the Python child's start, not yet counted with a finished measurement
    std::vector<Measurement> m_finished_before; ///< a resumed sweep's measurements from before
    std::string m_first_started_at; ///< a resumed sweep's first start
    std::set<std::string> m_logged_unavailable;
    std::unique_ptr<engine::GpuProcesses> m_gpu_processes; ///< CUDA sweeps, where NVML can be had
    std::unique_ptr<engine::PythonRunner> m_python; ///< started at the first Python variant, stopped at the end
    std::string m_aoti_error; ///< why no AOTInductor package can be used in this sweep (e.g. an unsafe cache)
    std::map<std::string, AotiPackageOutcome> m_aoti_outcomes; ///< by package directory
    std::string m_device_lost; ///< why this process can no longer use the device; "" while it can
    std::optional<int64_t> m_allocated_at_start; ///< device bytes allocated before the first phase (leak check)
    int64_t m_leak_reported = 0; ///< allocated bytes at the last leak report
};

} // namespace

namespace engine {

RunResult run_sweep_plan(
    const SweepConfig& config, const SweepCallbacks& callbacks, const CancelToken& cancel, const RunResult* resumed)
{
    return SweepRunner(config, callbacks, cancel, resumed).run();
}

std::vector<AotiPackageOutcome> make_aoti_packages(const SweepConfig& config, const SweepCallbacks& callbacks,
    const CancelToken& cancel, const std::vector<Cell>& cells)
{
    return SweepRunner(config, callbacks, cancel).make_aoti_packages(cells);
}

} // namespace engine

} // namespace compilescope
