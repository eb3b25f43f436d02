// The variants that exist for the GPU: fused-sdpa (also on a CPU whose LibTorch has SDPA), cuda-graph and
// cuda-graph+fused-sdpa. CUDA-only cases say why they did not run.
#include "compilescope/engine/sweep.h"
#include "compilescope/engine/variants.h"
#include "compilescope/failpoints.h"
#include "engine/cuda_graph.h"
#include "engine/sdpa.h"
#include "sweep_fixtures.h"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace compilescope;
using namespace compilescope::engine;

namespace {

bool is_graph_variant(const std::string& name)
{
    return name.rfind("cuda-graph", 0) == 0;
}

/// The first of the measurement's notes that starts with `prefix`, or "" when none does.
std::string note_starting(const Measurement& m, const std::string& prefix)
{
    const auto note = std::find_if(
        m.notes.begin(), m.notes.end(), [&prefix](const std::string& text) { return text.rfind(prefix, 0) == 0; });
    return note == m.notes.end() ? std::string() : *note;
}

bool has_note_starting(const Measurement& m, const std::string& prefix)
{
    return !note_starting(m, prefix).empty();
}

/// Eager ran; every SDPA variant is unavailable with the reason a refused backend gives.
void check_backend_refused(const RunResult& run, const std::string& backend)
{
    for (const Measurement& m : run.measurements) {
        INFO(key_of(m) << ": " << m.message);
        if (m.variant == "eager") {
            CHECK(m.status == MeasurementStatus::ok);
        } else {
            CHECK(m.status == MeasurementStatus::unavailable);
            // LibTorch's reason ("cannot run these inputs: ..."), or ours where LibTorch has no kernel at all.
            CHECK_THAT(m.message,
                Catch::StartsWith("SDPA backend " + backend + " cannot run these inputs: ")
                    || Catch::StartsWith("SDPA backend " + backend + " has no CPU kernel"));
        }
    }
}

/// tiny_config's attention cells on CUDA with these variants.
SweepConfig cuda_attention(std::vector<std::string> variants)
{
    SweepConfig config = tiny_config();
    config.workloads = { Workload::attention };
    config.device = Device::cuda;
    config.variants = std::move(variants);
    return config;
}

} // namespace

TEST_CASE("the CUDA graph variants say why they cannot run on the CPU", "[engine][variants]")
{
    int graph_variants = 0;
    for (const VariantInfo& info : list_variants(Device::cpu)) {
        if (is_graph_variant(info.name)) {
            ++graph_variants;
            CHECK_FALSE(info.available);
            CHECK((info.reason == "CUDA graphs need device cuda" || info.reason == "LibTorch built without CUDA"));
        }
    }
    CHECK(graph_variants == 4);
}

TEST_CASE("fused-sdpa agrees with eager in every phase on the CPU and names the kernel it ran", "[engine][sdpa]")
{
    const Availability sdpa = sdpa_availability(Device::cpu);
    if (!sdpa.available) {
        CHECK_THAT(sdpa.reason, Catch::Contains("has no at::scaled_dot_product_attention"));
        WARN("not run: " << sdpa.reason);
        return;
    }
    SweepConfig config = tiny_config();
    config.variants = { "eager", "fused-sdpa" };
    config.attention.causal = GENERATE(false, true);
    const RunResult run = run_sweep(config, {}, CancelToken());
    REQUIRE(run.measurements.size() == 8 * 2);
    for (const Measurement& m : run.measurements) {
        INFO(key_of(m) << ": " << m.message << " " << m.correctness.detail);
        REQUIRE(m.status == MeasurementStatus::ok);
        if (m.variant == "fused-sdpa") {
            CHECK(m.correctness.passed);
            // Other notes (page faults in the timed region, say) may follow the backend's.
            CHECK_THAT(note_starting(m, "SDPA backend: "),
                Catch::StartsWith("SDPA backend: ") && Catch::EndsWith("(asked for auto)"));
        }
    }
}

TEST_CASE("an SDPA backend that cannot run a cell makes fused-sdpa unavailable there, with LibTorch's reason",
    "[engine][sdpa]")
{
    if (!sdpa_availability(Device::cpu).available) {
        WARN("not run: " << sdpa_availability(Device::cpu).reason);
        return;
    }
    SweepConfig config = tiny_config();
    config.workloads = { Workload::attention };
    config.variants = { "eager", "fused-sdpa" };
    config.sdpa_backend = SdpaBackend::cudnn; // a CUDA-only kernel
    check_backend_refused(run_sweep(config, {}, CancelToken()), "cudnn");
}

TEST_CASE("on CUDA the graph and fused-attention variants run every phase and agree with eager, in each dtype",
    "[engine][cuda]")
{
    if (!cuda_available()) {
        WARN("not run: " << cuda_graph_availability(Device::cuda).reason);
        return;
    }
    for (Dtype dtype : { Dtype::fp32, Dtype::tf32, Dtype::bf16, Dtype::fp16 }) {
        SweepConfig config = tiny_config();
        config.device = Device::cuda;
        config.dtype = dtype;
        config.attention.causal = dtype == Dtype::bf16;
        config.variants
            = { "eager", "fused-sdpa", "cuda-graph", "cuda-graph+fused-sdpa", "cuda-graph+torchscript+fused-sdpa" };
        const RunResult run = run_sweep(config, {}, CancelToken());
        REQUIRE(run.measurements.size() == 8 * 5);
        for (const Measurement& m : run.measurements) {
            INFO(to_string(dtype) << " " << key_of(m) << ": " << m.message << " " << m.correctness.detail);
            REQUIRE(m.status == MeasurementStatus::ok);
            CHECK(m.peak_memory_bytes > 0);
            if (m.variant != "eager") {
                CHECK(m.correctness.passed);
            }
            if (m.variant == "cuda-graph+torchscript+fused-sdpa") {
                // The capture ran TorchScript's executor: its note says which fusion groups formed.
                CHECK(has_note_starting(m, "TorchScript"));
                CHECK(has_note_starting(m, "SDPA backend: "));
            }
            if (is_graph_variant(m.variant)) {
                CHECK(m.compile_ms.has_value());
                if (m.phase == Phase::train_step) {
                    CHECK_THAT(m.notes, Catch::VectorContains(std::string(graphed_optimizer_note)));
                }
            }
        }
    }
}

TEST_CASE("on CUDA flash attention refuses fp32 inputs: fused-sdpa is unavailable there, the sweep goes on",
    "[engine][cuda][sdpa]")
{
    if (!cuda_available()) {
        WARN("not run: " << cuda_graph_availability(Device::cuda).reason);
        return;
    }
    SweepConfig config = cuda_attention({ "eager", "fused-sdpa", "cuda-graph+fused-sdpa" });
    config.sdpa_backend = SdpaBackend::flash;
    check_backend_refused(run_sweep(config, {}, CancelToken()), "flash");
}

TEST_CASE("on CUDA a sweep with the L2 flush times every cell", "[engine][cuda]")
{
    if (!cuda_available()) {
        WARN("not run: " << cuda_graph_availability(Device::cuda).reason);
        return;
    }
    SweepConfig config = tiny_config();
    config.device = Device::cuda;
    config.measure.flush_l2 = true;
    const RunResult run = run_sweep(config, {}, CancelToken());
    for (const Measurement& m : run.measurements) {
        INFO(key_of(m) << ": " << m.message);
        CHECK(m.status == MeasurementStatus::ok);
        CHECK(m.stats.min_ms > 0);
    }
}

TEST_CASE("on CUDA a capture that CUDA invalidates half-way fails its measurement alone, and the device is mended",
    "[engine][cuda][fault]")
{
    if (!cuda_available()) {
        WARN("not run: " << cuda_graph_availability(Device::cuda).reason);
        return;
    }
    const SweepConfig config = cuda_attention({ "eager", "cuda-graph", "fused-sdpa" });
    std::vector<std::string> log;
    SweepCallbacks callbacks;
    callbacks.on_log = [&log](const std::string& line) { log.push_back(line); };
    // Capture 1 is the first cell's forward; capture 2 the forward graph of its backward phase. A capture CUDA
    // invalidated once left the generator in capture mode and the pool held, and every later cell failed.
    failpoints::configure("capture=invalidate@2");
    const RunResult run = run_sweep(config, callbacks, CancelToken());
    failpoints::configure("");
    REQUIRE(run.measurements.size() == 2 * 3 * 3);
    for (const Measurement& m : run.measurements) {
        INFO(key_of(m) << ": " << m.message);
        if (m.cell.seq_len == 16 && m.phase == Phase::backward && m.variant == "cuda-graph") {
            CHECK(m.status == MeasurementStatus::failed);
            CHECK_THAT(m.message, Catch::Contains("injected fault (invalidate"));
        } else {
            CHECK(m.status == MeasurementStatus::ok);
        }
    }
    for (const std::string& line : log) {
        INFO(line);
        CHECK_THAT(line, !Catch::StartsWith("memory leak") && !Catch::Contains("unusable"));
    }
    CHECK_NOTHROW(torch::rand({ 1 }, torch::TensorOptions().device(torch::kCUDA)));
}
