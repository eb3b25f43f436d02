// The memory guard (issue 13, items 9 and 10): what the machine and its cgroups leave to a sweep, the estimate
// the sweep checks against it, and the peak each measurement reports.
#include "cell.h"
#include "compilescope/allocator.h"
#include "compilescope/child_process.h"
#include "compilescope/engine/run_estimate.h"
#include "compilescope/engine/sweep.h"
#include "compilescope/engine/variants.h"
#include "cost_model.h"
#include "engine/cpu_block_cache.h"
#include "engine/device_memory.h"

#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <tuple>
#include <vector>

using namespace compilescope;
namespace fs = std::filesystem;

namespace {

constexpr int64_t MiB = 1024 * 1024;
constexpr int64_t GiB = 1024 * MiB;

/// A fake file system root with /proc and /sys files, removed at the end of the test (with POSIX calls:
/// std::filesystem::remove_all of a non-empty folder crashed in this LibTorch-linked binary on the GPU server).
class FakeRoot {
public:
    FakeRoot()
        : m_path(make_private_temp_directory("compilescope-memory"))
    {
        write(
            "proc/meminfo", "MemTotal:       32000000 kB\nMemFree:         1000000 kB\nMemAvailable:   16777216 kB\n");
    }
    ~FakeRoot() { remove_tree(m_path); }
    FakeRoot(const FakeRoot&) = delete;
    FakeRoot& operator=(const FakeRoot&) = delete;

    void write(const std::string& relative, const std::string& text) const
    {
        const fs::path file = fs::path(m_path) / relative;
        fs::create_directories(file.parent_path());
        std::ofstream(file) << text;
    }
    fs::path path() const { return m_path; }

private:
    std::string m_path;
};

const std::string v2_mountinfo = "30 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 "
                                 "cgroup2 rw,nsdelegate,memory_recursiveprot\n";
const std::string v1_mountinfo = "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
                                 "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
                                 "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
                                 "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";

} // namespace

TEST_CASE(
    "cgroup v2: the process's memory.max less memory.current, not counting inactive page cache", "[memory][cgroup]")
{
    const FakeRoot root;
    root.write("proc/self/mountinfo", v2_mountinfo);
    root.write("proc/self/cgroup", "0::/user.slice/sweep.scope\n");
    root.write("sys/fs/cgroup/user.slice/memory.max", "max\n");
    root.write("sys/fs/cgroup/user.slice/memory.current", "4000000000\n");
    root.write("sys/fs/cgroup/user.slice/sweep.scope/memory.max", std::to_string(3 * GiB / 2) + "\n");
    root.write("sys/fs/cgroup/user.slice/sweep.scope/memory.current", std::to_string(500 * MiB) + "\n");
    root.write("sys/fs/cgroup/user.slice/sweep.scope/memory.stat",
        "anon 300000000\nfile 200000000\nactive_file " + std::to_string(50 * MiB) + "\ninactive_file "
            + std::to_string(100 * MiB) + "\n");
    const engine::SystemMemory memory = engine::read_system_memory(root.path());
    CHECK(memory.mem_available == 16 * GiB);
    CHECK(memory.cgroup_headroom == 3 * GiB / 2 - 400 * MiB);
    CHECK(memory.cgroup_limited_by == "/sys/fs/cgroup/user.slice/sweep.scope");
    CHECK(memory.available() == 3 * GiB / 2 - 400 * MiB); // the 1.5 GiB cgroup of issue 13, not 16 GiB
}

TEST_CASE("nested cgroups: the tightest headroom of the process's cgroup and its ancestors wins", "[memory][cgroup]")
{
    const FakeRoot root;
    root.write("proc/self/mountinfo", v2_mountinfo);
    root.write("proc/self/cgroup", "0::/batch/job/step\n");
    root.write("sys/fs/cgroup/batch/memory.max", std::to_string(8 * GiB));
    root.write("sys/fs/cgroup/batch/memory.current", std::to_string(1 * GiB));
    root.write("sys/fs/cgroup/batch/job/memory.max", std::to_string(2 * GiB)); // tightest: 2 GiB - 1.9 GiB used
    root.write("sys/fs/cgroup/batch/job/memory.current", std::to_string(2 * GiB - 100 * MiB));
    root.write("sys/fs/cgroup/batch/job/step/memory.max", "max");
    root.write("sys/fs/cgroup/batch/job/step/memory.current", std::to_string(100 * MiB));
    const engine::SystemMemory memory = engine::read_system_memory(root.path());
    CHECK(memory.cgroup_headroom == 100 * MiB);
    CHECK(memory.cgroup_limited_by == "/sys/fs/cgroup/batch/job");
    CHECK(memory.available() == 100 * MiB);

    SECTION("usage above the limit leaves nothing, not a negative amount")
    {
        root.write("sys/fs/cgroup/batch/job/memory.current", std::to_string(3 * GiB));
        CHECK(engine::read_system_memory(root.path()).available() == 0);
    }
}

TEST_CASE(
    "cgroup v1 (hybrid mounts): memory.limit_in_bytes less usage, v1's huge 'unlimited' ignored", "[memory][cgroup]")
{
    const FakeRoot root;
    root.write("proc/self/mountinfo", v1_mountinfo);
    root.write("proc/self/cgroup", "9:name=systemd:/\n8:pids:/\n4:memory:/process_api/d915\n1:cpu:/\n0::/\n");
    const std::string job = "sys/fs/cgroup/memory/process_api/d915/";
    root.write(job + "memory.limit_in_bytes", std::to_string(3 * GiB / 2));
    root.write(job + "memory.usage_in_bytes", std::to_string(1 * GiB));
    root.write(job + "memory.stat", "cache 1000\ninactive_file 999\ntotal_inactive_file " + std::to_string(24 * MiB));
    root.write("sys/fs/cgroup/memory/process_api/memory.limit_in_bytes", "9223372036854771712\n");
    root.write("sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");
    const engine::SystemMemory memory = engine::read_system_memory(root.path());
    CHECK(memory.cgroup_headroom == GiB / 2 + 24 * MiB);
    CHECK(memory.cgroup_limited_by == "/sys/fs/cgroup/memory/process_api/d915");
    CHECK(memory.available() == GiB / 2 + 24 * MiB);
}

TEST_CASE("no limiting cgroup: MemAvailable alone", "[memory][cgroup]")
{
    const FakeRoot root;
    SECTION("'max' everywhere")
    {
        root.write("proc/self/mountinfo", v2_mountinfo);
        root.write("proc/self/cgroup", "0::/a\n");
        root.write("sys/fs/cgroup/a/memory.max", "max\n");
        root.write("sys/fs/cgroup/a/memory.current", "123\n");
    }
    SECTION("no cgroup files at all (a kernel without cgroups, or /sys not mounted)") { }
    SECTION("a cgroup above int64")
    {
        root.write("proc/self/mountinfo", v2_mountinfo);
        root.write("proc/self/cgroup", "0::/a\n");
        root.write("sys/fs/cgroup/a/memory.max", "99999999999999999999\n");
    }
    const engine::SystemMemory memory = engine::read_system_memory(root.path());
    CHECK(memory.cgroup_headroom == -1);
    CHECK(memory.cgroup_limited_by.empty());
    CHECK(memory.available() == 16 * GiB);
}

TEST_CASE("a cgroup limit above MemAvailable leaves MemAvailable", "[memory][cgroup]")
{
    const FakeRoot root;
    root.write("proc/self/mountinfo", v2_mountinfo);
    root.write("proc/self/cgroup", "0::/big\n");
    root.write("sys/fs/cgroup/big/memory.max", std::to_string(64 * GiB));
    root.write("sys/fs/cgroup/big/memory.current", std::to_string(1 * GiB));
    const engine::SystemMemory memory = engine::read_system_memory(root.path());
    CHECK(memory.cgroup_headroom == 63 * GiB);
    CHECK(memory.available() == 16 * GiB);
}

TEST_CASE("a container's namespaced cgroup mount is read at its mount point", "[memory][cgroup]")
{
    const FakeRoot root;
    SECTION("cgroup namespace: the process sees itself at the root")
    {
        root.write("proc/self/mountinfo", v2_mountinfo);
        root.write("proc/self/cgroup", "0::/\n");
    }
    SECTION("no namespace: the mount shows the container's subtree")
    {
        root.write("proc/self/mountinfo", "30 23 0:26 /docker/abc /sys/fs/cgroup ro,nosuid - cgroup2 cgroup2 rw\n");
        root.write("proc/self/cgroup", "0::/docker/abc\n");
    }
    SECTION("a path outside the namespace's root")
    {
        root.write("proc/self/mountinfo", v2_mountinfo);
        root.write("proc/self/cgroup", "0::/../../elsewhere\n");
    }
    root.write("sys/fs/cgroup/memory.max", std::to_string(2 * GiB));
    root.write("sys/fs/cgroup/memory.current", std::to_string(GiB / 2));
    const engine::SystemMemory memory = engine::read_system_memory(root.path());
    CHECK(memory.cgroup_headroom == 3 * GiB / 2);
    CHECK(memory.cgroup_limited_by == "/sys/fs/cgroup");
}

TEST_CASE("this machine's available memory is read, cgroups included", "[memory][cgroup]")
{
    const engine::SystemMemory memory = engine::read_system_memory("/");
    CHECK(memory.mem_available > 0);
    CHECK(memory.available() > 0);
    CHECK(memory.available() <= memory.mem_available);
    // Read again a moment later: other processes (the parallel tests) allocate in between, so allow 256 MiB of drift.
    CHECK(engine::available_memory_bytes(Device::cpu) + 256 * MiB >= memory.available());
    INFO("cgroup headroom " << memory.cgroup_headroom << " from " << memory.cgroup_limited_by);
}

namespace {

/// The peak of LibTorch's CPU allocations over a whole one-cell, one-phase sweep (inputs, eager reference, every
/// program, correctness check), next to the estimate the sweep checked.
struct PhasePeak {
    int64_t peak = 0;
    int64_t estimate = 0;
    int programs = 0;
    std::string label;
    bool all_ok = true;
};

PhasePeak measure_phase(const SweepConfig& config)
{
    device_roofs(config.device, config.dtype); // probed (and cached) outside the meter
    const std::vector<engine::Cell> cells = engine::plan_cells(config);
    REQUIRE(cells.size() == 1);
    REQUIRE(config.phases.size() == 1);
    PhasePeak result;
    result.programs = engine::live_cpp_programs(config.variants);
    result.estimate = engine::estimated_memory_bytes(cells[0], config.phases[0], result.programs);
    result.label = cells[0].label() + " " + to_string(config.dtype) + " " + to_string(config.phases[0]);
    RunResult run;
    {
        const engine::PeakMemoryMeter meter(Device::cpu);
        run = run_sweep(config, {}, CancelToken {});
        result.peak = meter.peak_bytes();
    }
    for (const Measurement& m : run.measurements) {
        result.all_ok = result.all_ok && m.status == MeasurementStatus::ok;
        if (m.status != MeasurementStatus::ok) {
            WARN(result.label << " " << m.variant << ": " << to_string(m.status) << " " << m.message);
        }
    }
    return result;
}

SweepConfig attention_config(int64_t batch, int64_t seq_len, int64_t d_model, bool causal, Phase phase)
{
    SweepConfig config;
    config.workloads = { Workload::attention };
    config.attention.batch = batch;
    config.attention.seq_lens = { seq_len };
    config.attention.d_models = { d_model };
    config.attention.causal = causal;
    config.phases = { phase };
    config.variants = { "eager", "torchscript", "fused-sdpa" };
    config.measure.warmup_iters = 1;
    config.measure.fixed_iters = 2;
    return config;
}

SweepConfig model_config(
    int64_t vocab, int64_t d_model, int64_t layers, int64_t heads, int64_t batch, int64_t seq_len, Phase phase)
{
    SweepConfig config = attention_config(1, 1, 1, false, phase);
    config.workloads = { Workload::transformer_lm };
    config.model.vocab_size = vocab;
    config.model.context_length = seq_len;
    config.model.d_model = d_model;
    config.model.num_layers = layers;
    config.model.num_heads = heads;
    config.model.d_ff = d_model * 8 / 3 / 8 * 8;
    config.model.batch = batch;
    config.model.seq_len = seq_len;
    return config;
}

} // namespace

TEST_CASE("the memory estimate covers the measured peak of every C++ variant alive at once, and not far above",
    "[memory][estimate]")
{
    std::vector<SweepConfig> configs;
    for (Phase phase : { Phase::forward, Phase::backward, Phase::forward_backward }) {
        configs.push_back(attention_config(2, 256, 32, phase == Phase::backward, phase));
    }
    for (Phase phase : { Phase::forward, Phase::train_step }) {
        configs.push_back(model_config(512, 64, 2, 4, 4, 64, phase));
    }
    configs.push_back(model_config(512, 64, 2, 4, 4, 64, Phase::train_step));
    configs.back().dtype = Dtype::bf16; // the fp32 reference of a low-precision check
    configs.push_back(attention_config(2, 256, 32, false, Phase::backward));
    configs.back().variants = { "eager" };
    for (const SweepConfig& config : configs) {
        const PhasePeak phase = measure_phase(config);
        INFO(phase.label << " with " << phase.programs << " C++ programs: estimate " << phase.estimate << ", peak "
                         << phase.peak);
        CHECK(phase.all_ok);
        CHECK(phase.peak > 0);
        CHECK(phase.estimate >= phase.peak);
        // Honest, not wildly pessimistic. A low-precision estimate also holds the fp32 run of the phase that a check
        // beyond tolerance makes (lazily: these tiny cells pass without it), hence its wider bound.
        CHECK(phase.estimate <= (config.dtype == Dtype::fp32 ? 3 : 4) * phase.peak);
    }
}

TEST_CASE(
    "memory estimate calibration: estimate and peak of cells and phases of several sizes", "[.memory-calibration]")
{
    // Prints a Markdown table (docs/memory-estimate.md): compilescope_engine_tests "[.memory-calibration]"
    std::vector<SweepConfig> configs;
    for (const auto& [batch, seq_len, d_model] : std::vector<std::tuple<int64_t, int64_t, int64_t>> {
             { 2, 128, 64 }, { 4, 512, 64 }, { 2, 1024, 128 }, { 1, 2048, 64 } }) {
        for (Phase phase : { Phase::forward, Phase::backward, Phase::forward_backward }) {
            for (bool causal : { false, true }) {
                configs.push_back(attention_config(batch, seq_len, d_model, causal, phase));
            }
        }
    }
    for (const auto& [vocab, d_model, layers, heads, batch, seq_len] :
        std::vector<std::tuple<int64_t, int64_t, int64_t, int64_t, int64_t, int64_t>> {
            { 512, 64, 2, 4, 4, 64 }, { 10000, 128, 4, 4, 4, 128 }, { 10000, 256, 4, 8, 4, 256 } }) {
        for (Phase phase : { Phase::forward, Phase::train_step }) {
            configs.push_back(model_config(vocab, d_model, layers, heads, batch, seq_len, phase));
        }
    }
    const size_t fp32_configs = configs.size();
    for (size_t i = 0; i < fp32_configs; i += 3) {
        configs.push_back(configs[i]);
        configs.back().dtype = Dtype::bf16;
    }
    const size_t all_variants = configs.size();
    for (size_t i = 0; i < all_variants; i += 4) {
        configs.push_back(configs[i]);
        configs.back().variants = { "eager" };
    }
    std::printf("| cell | phase | C++ programs | estimate (MiB) | peak (MiB) | estimate / peak |\n");
    std::printf("|---|---|---:|---:|---:|---:|\n");
    for (const SweepConfig& config : configs) {
        const PhasePeak phase = measure_phase(config);
        std::printf("| %s | %d | %.2f | %.2f | %.2f |%s\n", phase.label.c_str(), phase.programs,
            double(phase.estimate) / MiB, double(phase.peak) / MiB, double(phase.estimate) / double(phase.peak),
            phase.all_ok ? "" : " (not all ok)");
        std::fflush(stdout);
    }
}

TEST_CASE("under allocator keep each measurement reports its own peak, not the process's high-water mark",
    "[memory][allocator]")
{
    // Issue 13, item 10: glibc keeps the heap of the big cell, so resident memory never drops; the meter counts
    // LibTorch's allocations of the measurement itself.
    const std::string before = allocator_description();
    apply_allocator_policy(AllocatorPolicy::keep);
    SweepConfig big = attention_config(2, 1024, 32, false, Phase::forward);
    big.variants = { "eager" };
    big.allocator = AllocatorPolicy::keep;
    SweepConfig small = big;
    small.attention.seq_lens = { 64 };
    const RunResult first = run_sweep(big, {}, CancelToken {});
    const RunResult second = run_sweep(small, {}, CancelToken {});
    REQUIRE(first.measurements.size() == 1);
    REQUIRE(second.measurements.size() == 1);
    const int64_t big_peak = first.measurements[0].peak_memory_bytes;
    const int64_t small_peak = second.measurements[0].peak_memory_bytes;
    INFO("big " << big_peak << ", small " << small_peak);
    // Scores of 2 x 1024 x 1024 fp32 (8 MiB) and their softmax against 2 x 64 x 64.
    CHECK(big_peak >= 16 * MiB);
    CHECK(small_peak > 0);
    CHECK(small_peak < big_peak / 20);
    if (before.rfind("system", 0) == 0) {
        apply_allocator_policy(AllocatorPolicy::system);
    }
}

TEST_CASE(
    "on CUDA the memory the caching allocator holds unused counts as available to the next cell", "[memory][cuda]")
{
    if (!cuda_available()) {
        WARN("not run: no CUDA device");
        return;
    }
    // The allocator's own books, not the device's free memory: other test processes share the GPU.
    engine::release_cached_memory(Device::cuda);
    CHECK(engine::held_unused_device_bytes(Device::cuda) == 0);
    {
        const torch::Tensor block
            = torch::empty({ 256 * MiB }, torch::TensorOptions().device(torch::kCUDA).dtype(torch::kByte));
        CHECK(engine::held_unused_device_bytes(Device::cuda) < 256 * MiB);
    }
    // Freed, still held by the allocator (no emptyCache): ours to take for the next cell, so it counts.
    const int64_t held = engine::held_unused_device_bytes(Device::cuda);
    CHECK(held >= 256 * MiB);
    CHECK(engine::available_memory_bytes(Device::cuda) >= held);
    engine::release_cached_memory(Device::cuda);
    CHECK(engine::held_unused_device_bytes(Device::cuda) == 0);
}

TEST_CASE("on CUDA memory a finished cell leaves allocated is reported as a leak", "[memory][cuda]")
{
    if (!cuda_available()) {
        WARN("not run: no CUDA device");
        return;
    }
    SweepConfig config;
    config.workloads = { Workload::attention };
    config.device = Device::cuda;
    config.attention.d_models = { 8 };
    config.attention.seq_lens = { 16 };
    config.attention.batch = 2;
    config.phases = { Phase::forward, Phase::backward };
    config.variants = { "eager" };
    config.measure.warmup_iters = 1;
    config.measure.fixed_iters = 2;
    std::vector<torch::Tensor> kept; // what a leaking callback holds across cells
    std::vector<std::string> log;
    SweepCallbacks callbacks;
    callbacks.on_measurement = [&kept](const Measurement&) {
        kept.push_back(torch::empty({ 8 * MiB }, torch::TensorOptions().device(torch::kCUDA).dtype(torch::kByte)));
    };
    callbacks.on_log = [&log](const std::string& line) { log.push_back(line); };
    run_sweep(config, callbacks, CancelToken());
    const auto leak = std::find_if(
        log.begin(), log.end(), [](const std::string& line) { return line.rfind("memory leak: ", 0) == 0; });
    REQUIRE(leak != log.end());
    CHECK_THAT(*leak,
        Catch::StartsWith("memory leak: 8.0 MiB more allocated on cuda before attention d_model=8 "
                          "seq_len=16 backward than before the sweep's first phase"));
}

TEST_CASE("under keep, a freed CPU block goes to the next request of its size and back to the heap between phases",
    "[memory]")
{
    engine::keep_cpu_blocks(true);
    engine::release_kept_cpu_blocks();
    constexpr int64_t elements = MiB / 4; // 1 MiB of fp32
    void* first = nullptr;
    {
        const engine::PeakMemoryMeter meter(Device::cpu);
        const torch::Tensor block = torch::empty({ elements });
        first = block.data_ptr();
        CHECK(meter.peak_bytes() >= MiB); // still reported to the profiler, so every measurement's peak stays right
    }
    CHECK(engine::kept_cpu_bytes() == MiB);
    CHECK(engine::available_memory_bytes(Device::cpu) > 0);
    {
        const torch::Tensor again = torch::empty({ elements });
        CHECK(again.data_ptr() == first); // the same touched pages: no page fault in a timed loop
        CHECK(engine::kept_cpu_bytes() == 0);
        const torch::Tensor other = torch::empty({ elements + 1 });
        CHECK(other.data_ptr() != first);
    }
    CHECK(engine::kept_cpu_bytes() == 2 * MiB + 4);
    engine::release_cached_memory(Device::cpu); // what the sweep does before each phase
    CHECK(engine::kept_cpu_bytes() == 0);

    engine::keep_cpu_blocks(false); // --allocator system: freed at once
    {
        const torch::Tensor block = torch::empty({ elements });
    }
    CHECK(engine::kept_cpu_bytes() == 0);
    engine::keep_cpu_blocks(true);
}
