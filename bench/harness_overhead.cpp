// How much the harness adds to what it measures: for a few attention cells and phases, the mean the sweep reports
// for eager against a bare loop of the same ATen calls on the same inputs, timed with steady_clock around N
// iterations (per iteration for backward, whose graph-building forward must stay outside the clock) and the same
// device synchronisation. Each round runs both, in alternating order; the overhead is the median of the rounds'
// ratios, so that drift in the machine's speed between rounds cancels out.

#include "compilescope/allocator.h"
#include "compilescope/engine/environment.h"
#include "compilescope/engine/sweep.h"
#include "engine/phase_timer.h"
#include "engine/workloads.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>

using namespace compilescope;

namespace {

using Clock = std::chrono::steady_clock;

struct BenchOptions {
    Device device = Device::cpu;
    std::vector<int64_t> seq_lens { 256, 1024 };
    int64_t d_model = 64;
    int64_t batch = 8;
    int iters = 20;
    int warmup = 3;
    int rounds = 5;
    int threads = 0;
};

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    const size_t middle = values.size() / 2;
    return values.size() % 2 ? values[middle] : 0.5 * (values[middle - 1] + values[middle]);
}

double harness_mean(const BenchOptions& options, int64_t seq_len, Phase phase)
{
    SweepConfig config;
    config.workloads = { Workload::attention };
    config.attention.d_models = { options.d_model };
    config.attention.seq_lens = { seq_len };
    config.attention.batch = options.batch;
    config.phases = { phase };
    config.variants = { "eager" };
    config.device = options.device;
    config.threads = options.threads;
    config.measure.warmup_iters = options.warmup;
    config.measure.fixed_iters = options.iters;
    const RunResult run = run_sweep(config, {}, CancelToken());
    const Measurement& measurement = run.measurements.at(0);
    if (!measurement.ok()) {
        throw std::runtime_error("harness measurement " + to_string(measurement.status) + ": " + measurement.message);
    }
    return measurement.stats.mean_ms;
}

double bare_mean(const BenchOptions& options, int64_t seq_len, Phase phase)
{
    engine::Cell cell;
    cell.workload = Workload::attention;
    cell.batch = options.batch;
    cell.d_model = options.d_model;
    cell.seq_len = seq_len;
    cell.device = options.device;
    const engine::PhaseInputs in = engine::make_phase_inputs(cell, phase);
    const engine::PhaseTimer timer(options.device, CancelToken());
    auto forward = [&in] { return engine::attention_forward(in.q, in.k, in.v, in.future_mask, in.scale); };
    auto clear_grads = [&in] {
        for (torch::Tensor leaf : { in.q, in.k, in.v }) {
            leaf.mutable_grad().reset();
        }
    };

    if (phase == Phase::backward) {
        double total_ms = 0;
        for (int i = 0; i < options.warmup + options.iters; ++i) {
            clear_grads();
            torch::Tensor out = forward();
            timer.synchronize();
            const Clock::time_point start = Clock::now();
            out.backward(in.grad_out);
            timer.synchronize();
            if (i >= options.warmup) {
                total_ms += std::chrono::duration<double, std::milli>(Clock::now() - start).count();
            }
        }
        return total_ms / options.iters;
    }

    auto iteration = [&] {
        if (phase == Phase::forward) {
            torch::NoGradGuard no_grad;
            forward();
        } else {
            clear_grads();
            forward().backward(in.grad_out);
        }
    };
    for (int i = 0; i < options.warmup; ++i) {
        iteration();
    }
    timer.synchronize();
    const Clock::time_point start = Clock::now();
    for (int i = 0; i < options.iters; ++i) {
        iteration();
    }
    timer.synchronize();
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count() / options.iters;
}

} // namespace

int main(int argc, char** argv)
{
    BenchOptions options;
    std::string device = "cpu";
    CLI::App app { "Harness overhead: the sweep's eager timings against a bare loop of the same ops" };
    app.add_option("--device", device, "cpu or cuda")->check(CLI::IsMember({ "cpu", "cuda" }));
    app.add_option("--seq-len", options.seq_lens, "sequence lengths")->delimiter(',');
    app.add_option("--d-model", options.d_model, "model width");
    app.add_option("--batch", options.batch, "batch size");
    app.add_option("--iters", options.iters, "timed iterations per measurement")->check(CLI::PositiveNumber);
    app.add_option("--warmup", options.warmup, "warm-up iterations")->check(CLI::NonNegativeNumber);
    app.add_option("--rounds", options.rounds, "alternating harness / bare rounds")->check(CLI::PositiveNumber);
    app.add_option("--threads", options.threads, "LibTorch threads (0: default)")->check(CLI::NonNegativeNumber);
    CLI11_PARSE(app, argc, argv);
    options.device = *parse_device(device);

    apply_allocator_policy(AllocatorPolicy::keep);
    if (options.threads > 0) {
        at::set_num_threads(options.threads);
    }
    const Environment environment = collect_environment();
    std::printf("LibTorch %s, %s, %d threads, allocator %s\n", environment.libtorch_version.c_str(),
        options.device == Device::cuda ? environment.gpu_name.c_str() : environment.cpu_model.c_str(),
        environment.torch_threads, environment.allocator.c_str());
    std::printf("batch %lld, d_model %lld, %d warm-up + %d timed iterations, median of %d rounds\n\n",
        static_cast<long long>(options.batch), static_cast<long long>(options.d_model), options.warmup, options.iters,
        options.rounds);
    if (options.device == Device::cuda) {
        std::printf(
            "The harness synchronises around every timed iteration; the bare loop only around all of them.\n\n");
    }
    std::printf("| seq_len | phase | harness mean (ms) | bare loop mean (ms) | overhead |\n");
    std::printf("|--------:|-------|------------------:|--------------------:|---------:|\n");
    for (int64_t seq_len : options.seq_lens) {
        for (Phase phase : phases_of(Workload::attention)) {
            std::vector<double> harness;
            std::vector<double> bare;
            std::vector<double> ratios;
            for (int round = 0; round < options.rounds; ++round) {
                if (round % 2 == 0) {
                    harness.push_back(harness_mean(options, seq_len, phase));
                    bare.push_back(bare_mean(options, seq_len, phase));
                } else {
                    bare.push_back(bare_mean(options, seq_len, phase));
                    harness.push_back(harness_mean(options, seq_len, phase));
                }
                ratios.push_back(harness.back() / bare.back());
            }
            std::printf("| %lld | %s | %.3f | %.3f | %+.2f%% |\n", static_cast<long long>(seq_len),
                display_name(phase).c_str(), median(harness), median(bare), 100.0 * (median(ratios) - 1.0));
            std::fflush(stdout);
        }
    }
    return 0;
}
