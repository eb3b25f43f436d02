// What a sweep says while it runs (progress, measurements, log lines) and how it is stopped: the plain types that
// the engine fills (compilescope/engine/sweep.h) and the model, the worker's stream and the UI read.
#pragma once

#include "compilescope/results.h"
#include "compilescope/types.h"

#include <atomic>
#include <functional>
#include <string>
#include <vector>

namespace compilescope {

/// Set from any thread; the sweep stops after the current timed iteration and keeps what finished.
class CancelToken {
public:
    void cancel() { m_cancelled.store(true, std::memory_order_relaxed); }
    bool cancelled() const { return m_cancelled.load(std::memory_order_relaxed); }

private:
    std::atomic<bool> m_cancelled { false };
};

struct SweepProgress {
    int completed = 0; ///< measurements finished (any status)
    int total = 0; ///< measurements planned
    std::string current; ///< e.g. "attention d_model=64 seq_len=1024 forward torchscript"
    double elapsed_s = 0;
    /// Seconds left: the estimate before the sweep (run_estimate.h), rescaled by what finished (eta_calibration.h);
    /// -1 unknown.
    double eta_s = -1;
    /// What is in flight now, all of one cell and phase: one variant while it is built, checked or run in Python,
    /// several while they are timed in turns; empty between measurements. What a worker that dies now was running
    /// (died_while_running in compilescope/sweep_stream.h).
    std::vector<std::string> running;
    CellKey running_cell; ///< when running is not empty
    Phase running_phase = Phase::forward; ///< when running is not empty
};

struct SweepCallbacks {
    /// Once, before anything is measured: the run's config, environment and start time, no measurements.
    std::function<void(const RunResult&)> on_started;
    /// Before each measurement starts (and once at the end with completed == total).
    std::function<void(const SweepProgress&)> on_progress;
    /// After each measurement, whatever its status: cell by cell and phase by phase in plan order; within a phase the
    /// C++ variants (timed together, reported together) in config order, then each Python variant as it finishes.
    std::function<void(const Measurement&)> on_measurement;
    /// Informational lines (compilation, skipped cells, warnings).
    std::function<void(const std::string&)> on_log;
    /// When a failure left the device unusable in this process (restore_device could not mend it), after the
    /// phase it happened in was reported whole: true means a fresh process will resume the sweep from its journal,
    /// and the sweep returns at once (cancelled, the rest not reported). Unset or false: every later measurement is
    /// reported cancelled, "not started", so that a resume runs it.
    std::function<bool(const std::string& why)> on_device_unusable;
};

/// What became of one AOTInductor package.
struct AotiPackageOutcome {
    std::string package; ///< "attention d_model=64 seq_len=256 forward"
    std::string directory;
    MeasurementStatus status = MeasurementStatus::ok; ///< ok, unavailable, failed or cancelled
    bool cached = false; ///< it was in the cache already
    double seconds = 0; ///< wall time of its export
    std::string message;
    std::string exporter_torch; ///< the exporter's torch version ("" when it came from the cache)
};

} // namespace compilescope
