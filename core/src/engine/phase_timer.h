// Times phase programs: the first call, warm-ups and the timed iterations, with the device idle at the start of
// every timed region and the cancel token checked between iterations. On CUDA a timed region is clocked by CUDA
// events on the current stream: the device is synchronised first, so launch latency on an idle device counts as it
// does in wall time, while the host-side wait for the end event (and the synchronisation itself) does not.
#pragma once

#include "compilescope/engine/engine_only.h"

#include "compilescope/config.h"
#include "compilescope/sweep_events.h"
#include "engine/phase_program.h"

#include <exception>
#include <functional>
#include <memory>
#include <vector>

namespace compilescope::engine {

struct TimedIterations {
    std::vector<double> samples_ms;
    bool cancelled = false;
    /// What a program's step threw while taking turns; the others went on without it.
    std::exception_ptr failure;
    /// Fresh memory the process faulted in during the timed iterations (minor page faults): memory the allocator
    /// handed back to the system and had to fault in again, which a steady loop should not need.
    double faulted_bytes = 0;
};

/// Bytes of fresh memory faulted in per iteration from which an iteration counts as not steady.
constexpr double unsteady_fault_bytes = 1024.0 * 1024.0;

/// Clean iterations in a row that count as a steady heap: growth comes in bursts a clean iteration or two apart.
constexpr int steady_iterations = 3;

/// Counts the process's minor page faults from construction on.
class PageFaultCounter {
public:
    PageFaultCounter();
    /// Bytes of memory faulted in since construction.
    double bytes() const;

private:
    int64_t m_start;
};

class DeviceClock;

class PhaseTimer {
public:
    /// flush_l2: on CUDA, overwrite twice the L2 cache before every timed step (see MeasureConfig::flush_l2).
    PhaseTimer(Device device, const CancelToken& cancel, bool flush_l2 = false);
    ~PhaseTimer();

    /// Waits until the device has finished all queued work (no-op on the CPU).
    void synchronize() const;

    /// Wall-clock milliseconds of one call of `work` (e.g. a compilation), the device synchronised before and after.
    double time_ms(const std::function<void()>& work) const;

    /// Milliseconds of one call of `step` on the device's clock: CUDA events on CUDA, the steady clock on the CPU.
    double time_step(const std::function<void()>& step) const;

    /// setup (untimed) then step (timed by time_step).
    double time_iteration(const PhaseProgram& program) const;

    /// Runs `count` untimed iterations; false if cancelled before they were all done.
    bool warm_up(const PhaseProgram& program, int count) const;

    /// Untimed iterations until steady_iterations in a row run without faulting in a MiB or more of fresh memory
    /// (the allocator has stopped growing its heap), at most `limit`. Returns how many ran; -1 if cancelled.
    /// For the CPU under allocator policy `keep`, whose heap grows over the first iterations of a phase and then
    /// mostly stays. Measured exceptions, reported by the sweep's page-fault note: with 512 MiB blocks it still
    /// grew once in a while, and under TorchScript (whose interpreter frees tensors in another order) for ten
    /// iterations or more.
    int settle(const PhaseProgram& program, int limit) const;

    /// The timed iterations: measure.fixed_iters of them if > 0, otherwise adaptively (see MeasureConfig):
    /// at least min_iters and min_time_s of measured time, then until the standard error of the mean is within
    /// target_rel_error of the mean, bounded by max_iters and by max_time_s of wall time.
    TimedIterations run(const PhaseProgram& program, const MeasureConfig& measure) const;

    /// The timed iterations of several programs taking turns, one iteration each per round, each with its own
    /// stopping rule (as run()). The rounds end for all together, once every rule is met or one program has spent
    /// its max_iters / max_time_s, so every ratio compares iterations of the same span of time and the sample counts
    /// are equal; a program that throws leaves. `on_turns` is called about twice a second with the iterations timed
    /// so far, for progress.
    std::vector<TimedIterations> run_in_turns(const std::vector<const PhaseProgram*>& programs,
        const MeasureConfig& measure, const std::function<void(int)>& on_turns = {}) const;

private:
    [[maybe_unused]] Device m_device; // read by the CUDA build only
    const CancelToken& m_cancel;
    std::unique_ptr<DeviceClock> m_clock; ///< CUDA events and the L2 flush buffer; null on the CPU
};

} // namespace compilescope::engine
