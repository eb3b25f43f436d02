#include "compilescope/machine_load.h"

#include "compilescope/text_format.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>
#include <vector>

#include <sys/resource.h>
#include <unistd.h>

namespace compilescope {

namespace {

constexpr double busy_others_share = 0.10;
constexpr double busy_steal_share = 0.05;
constexpr double shortest_window_s = 0.05;

double seconds(const timeval& value)
{
    return double(value.tv_sec) + double(value.tv_usec) / 1e6;
}

std::string gpu_text(int others)
{
    if (others <= 0)
        return "";
    return "; " + std::to_string(others) + (others == 1 ? " other process" : " other processes") + " on the GPU";
}

} // namespace

bool MachineLoad::busy() const
{
    if (gpu_other_processes.value_or(0) > 0)
        return true;
    if (window_s < shortest_window_s)
        return false;
    // /proc/stat counts in ticks (10 ms at 100 Hz) and getrusage does not: one tick per CPU either way is noise,
    // a share of 1 / (hz x window) of the CPUs' time (20 % over 50 ms, 2 % over 0.5 s).
    const double tick_share = 1.0 / (double(::sysconf(_SC_CLK_TCK)) * window_s);
    return others_cpu_share - tick_share >= busy_others_share || steal_share - tick_share >= busy_steal_share;
}

std::string describe(const MachineLoad& load)
{
    return "other processes used " + fixed(100 * load.others_cpu_share, 0) + "% of the " + std::to_string(load.cpus)
        + " CPUs (steal " + fixed(100 * load.steal_share, 0) + "%, " + fixed(load.involuntary_switches_per_s, 0)
        + " preemptions/s)" + gpu_text(load.gpu_other_processes.value_or(0));
}

std::string under_load_note(const MachineLoad& load)
{
    return "measured under load: " + describe(load) + "; the timing is not the workload's alone";
}

std::optional<LoadProbe> LoadProbe::from(
    const std::string& proc_stat_cpu_line, int cpus, double own_cpu_s, int64_t involuntary_switches, double wall_s)
{
    std::istringstream fields(proc_stat_cpu_line);
    std::string name;
    fields >> name;
    if (name != "cpu")
        return std::nullopt;
    std::vector<double> ticks;
    for (double value = 0; fields >> value;)
        ticks.push_back(value);
    if (ticks.size() < 8) // user nice system idle iowait irq softirq steal
        return std::nullopt;
    const double hz = double(::sysconf(_SC_CLK_TCK));
    LoadProbe probe;
    double total = 0;
    for (size_t i = 0; i < 8; ++i)
        total += ticks[i];
    probe.m_total_s = total / hz;
    probe.m_steal_s = ticks[7] / hz;
    probe.m_busy_s = (total - ticks[3] - ticks[4] - ticks[7]) / hz;
    probe.m_own_cpu_s = own_cpu_s;
    probe.m_involuntary_switches = involuntary_switches;
    probe.m_wall_s = wall_s;
    probe.m_cpus = std::max(1, cpus);
    return probe;
}

std::optional<LoadProbe> LoadProbe::now()
{
    std::ifstream stat("/proc/stat");
    std::string line;
    if (!std::getline(stat, line))
        return std::nullopt;
    rusage usage {};
    ::getrusage(RUSAGE_SELF, &usage);
    const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
    return from(line, int(::sysconf(_SC_NPROCESSORS_ONLN)), seconds(usage.ru_utime) + seconds(usage.ru_stime),
        usage.ru_nivcsw, wall_s);
}

MachineLoad LoadProbe::since(const LoadProbe& earlier) const
{
    MachineLoad load;
    load.cpus = m_cpus;
    const double total = m_total_s - earlier.m_total_s;
    if (total > 0) {
        const double others = (m_busy_s - earlier.m_busy_s) - (m_own_cpu_s - earlier.m_own_cpu_s);
        load.others_cpu_share = std::clamp(others / total, 0.0, 1.0);
        load.steal_share = std::clamp((m_steal_s - earlier.m_steal_s) / total, 0.0, 1.0);
    }
    const double wall = m_wall_s - earlier.m_wall_s;
    load.window_s = std::max(0.0, wall);
    if (wall > 0)
        load.involuntary_switches_per_s = double(m_involuntary_switches - earlier.m_involuntary_switches) / wall;
    return load;
}

} // namespace compilescope
