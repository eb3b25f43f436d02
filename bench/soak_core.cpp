// compilescope-soak: many tiny sweeps back to back in one process, as a long GUI session or a sweep server does.
// Prints resident memory, threads and open descriptors after the warm-up sweeps and at the end; exits 1 when memory
// grew by more than --max-growth percent after the warm-up, or threads or descriptors leaked.
#include "compilescope/engine/sweep.h"

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <dirent.h>
#include <fstream>
#include <string>

using namespace compilescope;

namespace {

long status_kib(const char* field)
{
    std::ifstream status("/proc/self/status");
    std::string line;
    const std::string prefix = std::string(field) + ":";
    while (std::getline(status, line)) {
        if (line.rfind(prefix, 0) == 0)
            return std::stol(line.substr(prefix.size()));
    }
    return -1;
}

int entries(const char* directory)
{
    int count = 0;
    if (DIR* dir = opendir(directory)) {
        while (const dirent* entry = readdir(dir))
            count += entry->d_name[0] != '.';
        closedir(dir);
    }
    return count;
}

struct Sample {
    int sweep = 0;
    long rss_kib = 0;
    int threads = 0;
    int descriptors = 0;
};

Sample sample(int sweep)
{
    return { sweep, status_kib("VmRSS"), entries("/proc/self/task"), entries("/proc/self/fd") - 1 };
}

} // namespace

int main(int argc, char** argv)
{
    int sweeps = 200;
    int warmup = 20;
    double max_growth = 5.0;
    std::string variants = "eager,torchscript";
    CLI::App app("Back-to-back tiny sweeps in one process: does memory, or do threads, leak?");
    app.add_option("--sweeps", sweeps, "Sweeps in all.")->check(CLI::Range(2, 100000))->capture_default_str();
    app.add_option("--warmup", warmup, "Sweeps before the first sample (caches, thread pools, allocator arenas).")
        ->check(CLI::Range(1, 100000))
        ->capture_default_str();
    app.add_option("--max-growth", max_growth, "Resident memory growth allowed after the warm-up, in percent.")
        ->check(CLI::Range(0.0, 1000.0))
        ->capture_default_str();
    app.add_option("--variants", variants, "Variants of each sweep, comma-separated.")->capture_default_str();
    CLI11_PARSE(app, argc, argv);
    if (warmup >= sweeps) {
        std::fprintf(stderr, "--warmup (%d) must be below --sweeps (%d)\n", warmup, sweeps);
        return 2;
    }

    SweepConfig config;
    config.workloads = { Workload::attention };
    config.attention.d_models = { 16 };
    config.attention.seq_lens = { 16 };
    config.attention.batch = 1;
    config.phases = { Phase::forward };
    config.variants.clear();
    for (size_t start = 0; start <= variants.size();) {
        const size_t comma = std::min(variants.find(',', start), variants.size());
        config.variants.push_back(variants.substr(start, comma - start));
        start = comma + 1;
    }
    config.measure.warmup_iters = 1;
    config.measure.min_iters = 3;
    config.measure.min_time_s = 0.005;
    config.measure.max_time_s = 0.05;

    const auto start = std::chrono::steady_clock::now();
    Sample after_warmup;
    int not_ok = 0;
    for (int i = 1; i <= sweeps; ++i) {
        const CancelToken cancel;
        const RunResult run = run_sweep(config, {}, cancel);
        for (const Measurement& measurement : run.measurements)
            not_ok += measurement.status != MeasurementStatus::ok;
        if (i == warmup)
            after_warmup = sample(i);
    }
    const Sample end = sample(sweeps);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double growth = 100.0 * double(end.rss_kib - after_warmup.rss_kib) / double(after_warmup.rss_kib);

    std::printf("| sweeps | seconds | RSS after %d (MiB) | RSS after %d (MiB) | growth | threads | descriptors |\n",
        warmup, sweeps);
    std::printf("|---|---|---|---|---|---|---|\n");
    std::printf("| %d (%s) | %.1f | %.1f | %.1f | %+.2f%% | %d -> %d | %d -> %d |\n", sweeps, variants.c_str(), seconds,
        after_warmup.rss_kib / 1024.0, end.rss_kib / 1024.0, growth, after_warmup.threads, end.threads,
        after_warmup.descriptors, end.descriptors);
    const bool leaked = growth > max_growth || end.threads > after_warmup.threads
        || end.descriptors > after_warmup.descriptors || not_ok > 0;
    if (not_ok > 0)
        std::printf("%d measurements were not ok\n", not_ok);
    std::printf("%s\n", leaked ? "LEAK: over the limits above" : "no leak");
    return leaked ? 1 : 0;
}
