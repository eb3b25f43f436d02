#include "machine_pace.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <thread>
#include <vector>

namespace compilescope {

namespace {

constexpr double most_slowdown = 10;
/// Below this share of what they asked, the threads were slowed by others; above it, the probe's own noise.
constexpr double quiet_share = 0.9;

double thread_cpu_seconds()
{
    timespec now {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return double(now.tv_sec) + double(now.tv_nsec) * 1e-9;
}

} // namespace

double MachinePace::one_off_slowdown() const
{
    const double share = std::min(1.0, cores);
    return share >= quiet_share ? 1 : std::min(most_slowdown, 1 / std::max(share, 1 / most_slowdown));
}

double MachinePace::iteration_slowdown() const
{
    const double share = cores / std::max(1, threads);
    return share >= quiet_share ? 1 : std::min(most_slowdown, 1 / std::max(share, 1 / most_slowdown));
}

double MachinePace::waiting_share() const
{
    const double share = std::min(1.0, cores / std::max(1, threads));
    if (threads < 2 || share >= quiet_share)
        return 0;
    return 1 - std::pow(share, threads);
}

MachinePace measure_machine_pace(int threads, double seconds)
{
    using Clock = std::chrono::steady_clock;
    MachinePace pace;
    pace.threads = std::max(1, threads);
    std::vector<double> cpu(size_t(pace.threads), 0.0);
    const auto start = Clock::now();
    const auto end = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    std::vector<std::thread> spinners;
    for (double& used : cpu) {
        spinners.emplace_back([&used, end] {
            const double began = thread_cpu_seconds();
            volatile unsigned long spins = 0;
            while (Clock::now() < end)
                spins = spins + 1;
            used = thread_cpu_seconds() - began;
        });
    }
    for (std::thread& spinner : spinners)
        spinner.join();
    const double wall = std::chrono::duration<double>(Clock::now() - start).count();
    double total = 0;
    for (double seconds_got : cpu)
        total += seconds_got;
    pace.cores = wall > 0 ? std::min(double(pace.threads), total / wall) : double(pace.threads);
    return pace;
}

} // namespace compilescope
