// How busy the machine was while a measurement was timed: the other processes' share of the CPUs, the hypervisor's
// steal, and how often this process was preempted. A timing taken while others compete for the CPUs measures the
// scheduler's time slices as much as the workload (issue 25: one cell took 0.08 ms alone and 22.8 ms under load, its
// samples on a 4 ms grid), so such a measurement is marked, in the run and wherever it is shown.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace compilescope {

struct MachineLoad {
    /// Of all CPUs' time while it was timed, what other processes used (0..1): the machine's busy time (from
    /// /proc/stat) less this process's own (getrusage).
    double others_cpu_share = 0;
    double steal_share = 0; ///< of all CPUs' time, what the hypervisor gave to other guests (0..1)
    double involuntary_switches_per_s = 0; ///< how often this process's threads were preempted
    int cpus = 0; ///< CPUs the shares are of
    double window_s = 0; ///< the wall time the shares cover
    /// Processes other than the sweep's own with a context on its GPU at the start or the end of the window (NVML).
    /// nullopt where not known: a CPU sweep, no NVML, or NVML's process IDs are not this PID namespace's (a
    /// container that cannot see the host's processes).
    std::optional<int> gpu_other_processes;

    /// Others used at least a tenth of the CPUs, or the hypervisor stole 5 %, beyond one tick of the kernel's
    /// accounting per CPU, over 50 ms at least; or another process had a context on the GPU: the timing is not the
    /// workload's alone.
    bool busy() const;
};

/// "other processes used 48% of the 2 CPUs (steal 0%, 310 preemptions/s)", and "; 1 other process on the GPU" where
/// there was one.
std::string describe(const MachineLoad& load);

/// The note a measurement taken under load carries (Results, reports): "measured under load: " + describe().
std::string under_load_note(const MachineLoad& load);

/// A reading of the machine's and this process's CPU time, to be compared with a later one.
class LoadProbe {
public:
    /// Reads /proc/stat and getrusage now; nullopt where /proc/stat cannot be read (not Linux).
    static std::optional<LoadProbe> now();

    /// What happened between `earlier` and this reading.
    MachineLoad since(const LoadProbe& earlier) const;

    /// From the text of /proc/stat's first line ("cpu  user nice system idle iowait irq softirq steal ...") and this
    /// process's CPU seconds and involuntary context switches, at a wall-clock time; for tests.
    static std::optional<LoadProbe> from(
        const std::string& proc_stat_cpu_line, int cpus, double own_cpu_s, int64_t involuntary_switches, double wall_s);

private:
    double m_busy_s = 0; ///< all CPUs' busy time (not idle, not iowait, not steal)
    double m_steal_s = 0;
    double m_total_s = 0;
    double m_own_cpu_s = 0;
    int64_t m_involuntary_switches = 0;
    double m_wall_s = 0;
    int m_cpus = 1;
};

} // namespace compilescope
