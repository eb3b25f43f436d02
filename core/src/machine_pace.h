// How fast this machine can run a sweep's work now: the CPU time a process would get if it started now, while other
// processes (builds, other users) compete for the cores. The estimate before Run scales its one-off work and CPU
// iterations by it, since a busy machine stretches every part of a sweep (issue 25: a quick sweep that takes about
// 6 min on a quiet 2-core VM took 21 min while others used 84 % of its CPUs).
#pragma once

namespace compilescope {

struct MachinePace {
    int threads = 1; ///< threads that ran
    double cores = 1; ///< the CPU time they got over the wall time: 0 to `threads`

    /// How much longer one-off work (an exporter, a compiler, the Python child: one busy thread each) takes than on
    /// a quiet machine: 1 / the share of a core one thread gets, at most 10.
    double one_off_slowdown() const;
    /// How much longer an iteration on `threads` threads takes: at least threads / cores (an intra-op parallel
    /// region waits for its slowest thread), at most 10. 1 where the threads got 90 % of what they asked.
    double iteration_slowdown() const;
    /// The share of an intra-op parallel operator's time spent waiting for a thread the scheduler took away: with each
    /// thread running a share s of the time, all `threads` of them run s^threads of it. 0 for one thread, and where the
    /// threads got 90 % of what they asked.
    double waiting_share() const;
};

/// Spins `threads` threads for `seconds` and reads the CPU time each got (CLOCK_THREAD_CPUTIME_ID).
MachinePace measure_machine_pace(int threads, double seconds = 0.1);

} // namespace compilescope
