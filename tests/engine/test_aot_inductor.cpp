// aot-inductor end to end: the exporter makes packages for small cells of both workloads, the variant loads,
// checks and times them; then the cache, the refusals (corrupt package, another torch, an unsafe cache) and a
// cancel during export. On CUDA when this build sees a GPU (with cuda-graph+aot-inductor), else on the CPU.
// A package takes 10-30 s to export, so the cold sweep runs once and the later checks reuse its packages.
#include "compilescope/child_process.h"
#include "compilescope/engine/sweep.h"
#include "compilescope/engine/variants.h"
#include "compilescope/python.h"
#include "sweep_fixtures.h"

#include <catch2/catch.hpp>
#include <torch/version.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <thread>

using namespace compilescope;
namespace fs = std::filesystem;

namespace {

/// A directory removed at the end of the test.
struct TempDir {
    std::string path = make_private_temp_directory("compilescope-aoti-test");
    ~TempDir() { remove_tree(path); }
};

Device test_device()
{
    return cuda_available() ? Device::cuda : Device::cpu;
}

/// One attention cell (every phase) and the tiny model (forward, train step), eager against AOTInductor.
SweepConfig aoti_config(const std::string& cache)
{
    SweepConfig config = tiny_config();
    config.device = test_device();
    config.attention.d_models = { 8 };
    config.attention.seq_lens = { 16 };
    config.variants = { "eager", "aot-inductor" };
    if (config.device == Device::cuda)
        config.variants.push_back("cuda-graph+aot-inductor");
    config.aoti_cache = cache;
    config.threads = 1;
    return config;
}

RunResult sweep(const SweepConfig& config, const SweepCallbacks& callbacks = {})
{
    const CancelToken never;
    return run_sweep(config, callbacks, never);
}

bool has_note(const Measurement& m, const std::string& text)
{
    for (const std::string& note : m.notes) {
        if (note.find(text) != std::string::npos)
            return true;
    }
    return false;
}

/// Copies the folder `from` to `to` (which must not exist) with cp -a: std::filesystem's recursive walks crashed in
/// this LibTorch-linked binary on the GPU server (tests/cli/cli_process.cpp says why).
void copy_tree(const fs::path& from, const fs::path& to)
{
    const std::string command = "cp -a '" + from.string() + "' '" + to.string() + "'";
    REQUIRE(std::system(command.c_str()) == 0);
}

/// The package directories in `cache` whose name starts with `prefix` (e.g. "attention-forward-").
std::vector<fs::path> packages(const std::string& cache, const std::string& prefix = "")
{
    std::vector<fs::path> found;
    if (!fs::exists(cache))
        return found;
    for (const auto& versions : fs::directory_iterator(cache)) {
        if (versions.path().filename().string().rfind("torch-", 0) != 0)
            continue;
        for (const auto& entry : fs::directory_iterator(versions.path())) {
            if (entry.path().filename().string().rfind(prefix, 0) == 0)
                found.push_back(entry.path());
        }
    }
    return found;
}

/// The aot-inductor measurement of attention's forward phase in a sweep of only that phase, on a copy of `source`
/// (a package directory) made into a new cache after `damage` has changed it.
Measurement forward_with_damaged_copy(
    const SweepConfig& base, const fs::path& source, const std::function<void(const fs::path&)>& damage)
{
    TempDir cache;
    const fs::path copy = fs::path(cache.path) / source.parent_path().filename() / source.filename();
    fs::create_directories(copy.parent_path());
    copy_tree(source, copy);
    damage(copy);
    SweepConfig config = base;
    config.workloads = { Workload::attention };
    config.phases = { Phase::forward };
    config.variants = { "eager", "aot-inductor" };
    config.aoti_cache = cache.path;
    const RunResult run = sweep(config);
    REQUIRE(run.measurements.size() == 2);
    CHECK(fs::exists(copy)); // nothing re-exported over it, nothing deleted
    return run.measurements[1];
}

void write_file(const fs::path& path, const std::string& text)
{
    std::ofstream(path, std::ios::trunc) << text;
}

/// Replaces `from` by `to` in the package's meta.json.
void replace_in_meta(const fs::path& package, const std::string& from, const std::string& to)
{
    std::ifstream file(package / "meta.json");
    std::string text((std::istreambuf_iterator<char>(file)), {});
    const size_t at = text.find(from);
    REQUIRE(at != std::string::npos);
    write_file(package / "meta.json", text.replace(at, from.size(), to));
}

} // namespace

TEST_CASE("aot-inductor exports, loads, checks and times every phase, then the cache serves the next sweep and refuses "
          "damaged packages",
    "[engine][aoti]")
{
    const VariantInfo info = [] {
        for (const VariantInfo& variant : list_variants(test_device()))
            if (variant.name == "aot-inductor")
                return variant;
        FAIL("aot-inductor is not registered");
        return VariantInfo {};
    }();
    if (!info.available) {
        WARN("not run: " << info.reason);
        return;
    }
    TempDir cache;
    const SweepConfig config = aoti_config(cache.path);
    std::vector<std::string> log;
    SweepCallbacks callbacks;
    callbacks.on_log = [&log](const std::string& line) { log.push_back(line); };

    // Cold: every package is exported, then loaded, checked against eager and timed.
    const RunResult cold = sweep(config, callbacks);
    INFO("log:\n"
        << [&] {
               std::string text;
               for (const auto& line : log)
                   text += line + "\n";
               return text;
           }());
    REQUIRE(cold.measurements.size() == 5 * config.variants.size());
    for (const Measurement& m : cold.measurements) {
        INFO(key_of(m) << ": " << m.message);
        REQUIRE(m.status == MeasurementStatus::ok);
        if (m.variant == "eager")
            continue;
        CHECK(m.correctness.passed);
        REQUIRE(m.compile_ms);
        CHECK(*m.compile_ms > 100); // export plus Inductor compile, not the load
        CHECK(has_note(m, "exported in this sweep"));
        CHECK(has_note(m, "compile_ms: the package's export"));
    }
    CHECK(packages(cache.path).size() == 5);

    // Warm: the same packages from the cache, the same compile latency (recorded when they were made).
    const RunResult warm = sweep(config);
    REQUIRE(warm.measurements.size() == cold.measurements.size());
    for (size_t i = 0; i < warm.measurements.size(); ++i) {
        const Measurement& m = warm.measurements[i];
        INFO(key_of(m) << ": " << m.message);
        REQUIRE(m.status == MeasurementStatus::ok);
        if (m.variant != "eager") {
            CHECK(has_note(m, "from the cache"));
            CHECK(m.compile_ms == cold.measurements[i].compile_ms);
        }
    }
    CHECK(warm.wall_time_s < cold.wall_time_s);

    const std::vector<fs::path> forward = packages(cache.path, "attention-forward-");
    REQUIRE(forward.size() == 1);

    // Not SECTIONs: Catch would run the cold sweep again for each.
    {
        INFO("a package whose code is damaged is refused, saying which and what to do");
        const Measurement m = forward_with_damaged_copy(
            config, forward[0], [](const fs::path& copy) { write_file(copy / "forward.pt2", "not a zip file"); });
        CHECK(m.status == MeasurementStatus::unavailable);
        CHECK_THAT(m.message, Catch::Contains("does not load") && Catch::Contains("delete that directory"));
    }
    {
        INFO("a package whose description is damaged is refused as corrupt");
        const Measurement m = forward_with_damaged_copy(
            config, forward[0], [](const fs::path& copy) { write_file(copy / "meta.json", "{\"graphs\": ["); });
        CHECK(m.status == MeasurementStatus::unavailable);
        CHECK_THAT(m.message, Catch::Contains("is corrupt"));
    }
    {
        INFO("a package made by another torch is refused");
        const Measurement m = forward_with_damaged_copy(config, forward[0],
            [](const fs::path& copy) { replace_in_meta(copy, "\"torch\": \"" TORCH_VERSION, "\"torch\": \"1.13.1"); });
        CHECK(m.status == MeasurementStatus::unavailable);
        CHECK_THAT(m.message, Catch::Contains("was made by torch 1.13.1") && Catch::Contains("LibTorch"));
    }
    {
        INFO("a meta.json naming a file outside its package folder is refused (security review N02)");
        const Measurement m = forward_with_damaged_copy(config, forward[0], [](const fs::path& copy) {
            const fs::path outside = copy.parent_path().parent_path() / "outside";
            fs::create_directories(outside);
            fs::copy_file(copy / "forward.pt2", outside / "forward.pt2");
            replace_in_meta(copy, "\"file\": \"forward.pt2\"", "\"file\": \"../../outside/forward.pt2\"");
        });
        CHECK(m.status == MeasurementStatus::unavailable);
        CHECK_THAT(
            m.message, Catch::Contains("names \"../../outside/forward.pt2\", which is not a file of its own folder"));
    }
    {
        INFO("a package folder others can write is refused, though the cache above it is private (N01)");
        const Measurement m
            = forward_with_damaged_copy(config, forward[0], [](const fs::path& copy) { ::chmod(copy.c_str(), 0777); });
        CHECK(m.status == MeasurementStatus::unavailable);
        CHECK_THAT(
            m.message, Catch::Contains("is not loaded") && Catch::Contains("writable by other users (mode 0777)"));
    }
    {
        INFO("a meta.json that is a FIFO is refused at once, not waited on (N07)");
        const Measurement m = forward_with_damaged_copy(config, forward[0], [](const fs::path& copy) {
            fs::remove(copy / "meta.json");
            REQUIRE(::mkfifo((copy / "meta.json").c_str(), 0600) == 0);
        });
        CHECK(m.status == MeasurementStatus::unavailable);
        CHECK_THAT(m.message, Catch::Contains("meta.json is not a regular file"));
    }
    {
        INFO("a folder swapped for a link after the sweep checked the cache is refused at the next load (N03)");
        TempDir cache;
        const fs::path versions = fs::path(cache.path) / forward[0].parent_path().filename();
        copy_tree(forward[0].parent_path(), versions);
        SweepConfig swapped = config;
        swapped.workloads = { Workload::attention };
        swapped.phases = { Phase::forward, Phase::backward };
        swapped.variants = { "eager", "aot-inductor" };
        swapped.aoti_cache = cache.path;
        SweepCallbacks callbacks;
        bool swapped_once = false;
        callbacks.on_log = [&](const std::string& line) {
            if (swapped_once || line.rfind("loaded ", 0) != 0 || line.find("forward aot-inductor") == std::string::npos)
                return;
            // What the owner of a folder on the way could do between two loads: the same packages, behind a link.
            fs::rename(versions, fs::path(cache.path) / "moved");
            fs::create_directory_symlink(fs::path(cache.path) / "moved", versions);
            swapped_once = true;
        };
        const RunResult run = sweep(swapped, callbacks);
        CHECK(swapped_once);
        REQUIRE(run.measurements.size() == 4);
        CHECK(run.measurements[1].status == MeasurementStatus::ok);
        CHECK(run.measurements[3].status == MeasurementStatus::unavailable);
        CHECK_THAT(run.measurements[3].message, Catch::Contains(versions.string() + " is a symbolic link"));
    }
}

TEST_CASE("an exporter whose torch is not the linked LibTorch makes aot-inductor unavailable", "[engine][aoti]")
{
    TempDir cache;
    const std::string fake = cache.path + "/old_torch_python.sh";
    write_file(fake, "#!/bin/sh\necho '{\"event\": \"ready\", \"torch\": \"1.13.1\", \"python\": \"3.8\"}'\n");
    ::chmod(fake.c_str(), 0755);
    SweepConfig config = aoti_config(cache.path + "/cache");
    config.device = Device::cpu;
    config.variants = { "eager", "aot-inductor" };
    config.python = fake;
    const RunResult run = sweep(config);
    for (const Measurement& m : run.measurements) {
        INFO(key_of(m) << ": " << m.message);
        if (m.variant == "eager") {
            CHECK(m.status == MeasurementStatus::ok);
        } else {
            CHECK(m.status == MeasurementStatus::unavailable);
            CHECK_THAT(m.message, Catch::Contains("torch 1.13.1") && Catch::Contains("is not the linked LibTorch"));
        }
    }
    CHECK(packages(cache.path + "/cache").empty());
}

TEST_CASE("a package cache other users can write into is not used", "[engine][aoti]")
{
    TempDir cache;
    ::chmod(cache.path.c_str(), 0777);
    SweepConfig config = aoti_config(cache.path);
    config.device = Device::cpu;
    config.variants = { "eager", "aot-inductor" };
    config.workloads = { Workload::attention };
    const RunResult run = sweep(config);
    for (const Measurement& m : run.measurements) {
        if (m.variant == "aot-inductor") {
            CHECK(m.status == MeasurementStatus::unavailable);
            CHECK_THAT(m.message, Catch::Contains("writable by other users"));
        }
    }
}

TEST_CASE(
    "cancelling during the export stops the exporters within seconds and leaves no half-made package", "[engine][aoti]")
{
    TempDir cache;
    SweepConfig config = aoti_config(cache.path);
    config.device = Device::cpu;
    config.variants = { "eager", "aot-inductor" };
    config.aoti_jobs = 2;
    CancelToken cancel;
    bool exporting = false;
    SweepCallbacks callbacks;
    callbacks.on_log
        = [&exporting](const std::string& line) { exporting = exporting || line.rfind("exporting ", 0) == 0; };
    using Clock = std::chrono::steady_clock;
    Clock::time_point cancelled_at;
    std::thread canceller([&] {
        std::this_thread::sleep_for(std::chrono::seconds(4)); // inside torch.export or Inductor by then
        cancelled_at = Clock::now();
        cancel.cancel();
    });
    const RunResult run = run_sweep(config, callbacks, cancel);
    const double stop_s = std::chrono::duration<double>(Clock::now() - cancelled_at).count();
    canceller.join();
    CHECK(exporting);
    CHECK(run.cancelled);
    CHECK(stop_s < 5); // SIGTERM, then SIGKILL after a second
    for (const Measurement& m : run.measurements) {
        INFO(key_of(m) << ": " << m.message);
        CHECK(m.status == MeasurementStatus::cancelled);
    }
    // Nothing half-written: no package and no working copy.
    for (const fs::path& entry : packages(cache.path))
        FAIL_CHECK("left behind: " << entry);
}
