// In-process: how `run` flags become a SweepConfig (order of preset, --quick and explicit flags; field names).
#include "cli_in_process.h"
#include "run_options.h"

#include "compilescope/presets.h"
#include "compilescope/variants.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <sstream>

using compilescope::SweepConfig;
using compilescope::cli::build_sweep_config;
using compilescope::cli::RunOptions;

namespace {

/// Whether `run` with `flags` is refused with "FIELD (FLAG): ..." containing `text` on that line.
bool has_error(
    const std::vector<std::string>& flags, const std::string& flag, const std::string& field, const std::string& text)
{
    std::vector<std::string> arguments { "run" };
    arguments.insert(arguments.end(), flags.begin(), flags.end());
    const auto result = compilescope::test::cli_in_process(arguments, compilescope::test::CliStage::validate);
    if (result.exit_code != 2)
        return false;
    std::istringstream lines(result.err);
    for (std::string line; std::getline(lines, line);) {
        if (line.find(field + " (" + flag + "): ") != std::string::npos && line.find(text) != std::string::npos)
            return true;
    }
    return false;
}

} // namespace

TEST_CASE("no flags give the documented defaults", "[options]")
{
    const auto parsed = build_sweep_config(RunOptions {});
    const SweepConfig defaults;
    REQUIRE(parsed.errors.empty());
    CHECK(parsed.config.attention.d_models == defaults.attention.d_models);
    CHECK(parsed.config.model.d_model == defaults.model.d_model);
    CHECK(parsed.config.workloads == defaults.workloads);
    CHECK(parsed.config.measure.fixed_iters == 0);
    // Every variant this build can run on the CPU, as with --variants all (issue 24).
    RunOptions all;
    all.variants = std::vector<std::string> { "all" };
    CHECK(parsed.config.variants == build_sweep_config(all).config.variants);
    CHECK(parsed.config.variants.size() > defaults.variants.size());
}

TEST_CASE("attention flags never change the model", "[options]")
{
    RunOptions options;
    options.d_models = std::vector<int64_t> { 16, 32 };
    options.seq_lens = std::vector<int64_t> { 64 };
    options.batch = 2;
    const auto parsed = build_sweep_config(options);
    REQUIRE(parsed.errors.empty());
    CHECK(parsed.config.attention.d_models == std::vector<int64_t> { 16, 32 });
    CHECK(parsed.config.attention.seq_lens == std::vector<int64_t> { 64 });
    CHECK(parsed.config.attention.batch == 2);
    const compilescope::ModelConfig model;
    CHECK(parsed.config.model.d_model == model.d_model);
    CHECK(parsed.config.model.seq_len == model.seq_len);
    CHECK(parsed.config.model.batch == model.batch);

    options.model_d_model = 64;
    options.model_seq_len = 32;
    options.model_batch = 3;
    const auto with_model = build_sweep_config(options);
    CHECK(with_model.config.model.d_model == 64);
    CHECK(with_model.config.model.seq_len == 32);
    CHECK(with_model.config.model.batch == 3);
    CHECK(with_model.config.attention.d_models == std::vector<int64_t> { 16, 32 });
}

TEST_CASE("a preset fills grid and model, explicit flags override it", "[options]")
{
    const auto preset = compilescope::find_preset("cs336-small");
    REQUIRE(preset);
    RunOptions options;
    options.preset = "cs336-small";
    options.num_layers = 2;
    const auto parsed = build_sweep_config(options);
    REQUIRE(parsed.errors.empty());
    CHECK(parsed.config.preset == "cs336-small");
    CHECK(parsed.config.model.d_model == preset->model.d_model);
    CHECK(parsed.config.model.num_layers == 2);
    CHECK(parsed.config.attention.d_models == preset->attention.d_models);
}

TEST_CASE("quick: applies after the preset and before explicit flags", "[options]")
{
    RunOptions options;
    options.preset = "seed";
    options.quick = true;
    SweepConfig quick;
    compilescope::apply_preset(*compilescope::find_preset("seed"), quick);
    compilescope::apply_quick(quick);
    const auto parsed = build_sweep_config(options);
    CHECK(parsed.config.attention.d_models == quick.attention.d_models);
    CHECK(parsed.config.measure.min_time_s == quick.measure.min_time_s);

    options.iters = 2;
    options.seq_lens = std::vector<int64_t> { 32 };
    const auto overridden = build_sweep_config(options);
    CHECK(overridden.config.measure.fixed_iters == 2);
    CHECK(overridden.config.attention.seq_lens == std::vector<int64_t> { 32 });
}

TEST_CASE("names and numbers are read into the configuration", "[options]")
{
    RunOptions options;
    options.workload = { { compilescope::Workload::attention, compilescope::Workload::transformer_lm } };
    options.phases = { { compilescope::Phase::forward, compilescope::Phase::train_step } };
    options.device = compilescope::Device::cpu;
    options.dtype = compilescope::Dtype::bf16;
    options.allocator = compilescope::AllocatorPolicy::system;
    options.sdpa_backend = compilescope::SdpaBackend::mem_efficient;
    options.flush_l2 = true;
    options.seed = 42;
    options.memory_limit_mb = 3;
    options.causal = true;
    options.rope_theta = 500000.0;
    options.min_time = 0.25;
    const auto parsed = build_sweep_config(options);
    REQUIRE(parsed.errors.empty());
    CHECK(parsed.config.workloads.size() == 2);
    CHECK(parsed.config.phases
        == std::vector<compilescope::Phase> { compilescope::Phase::forward, compilescope::Phase::train_step });
    CHECK(parsed.config.dtype == compilescope::Dtype::bf16);
    CHECK(parsed.config.allocator == compilescope::AllocatorPolicy::system);
    CHECK(parsed.config.sdpa_backend == compilescope::SdpaBackend::mem_efficient);
    CHECK(parsed.config.measure.flush_l2);
    CHECK(parsed.config.seed == 42);
    CHECK(parsed.config.memory_limit_bytes == 3 * 1024 * 1024);
    CHECK(parsed.config.attention.causal);
    CHECK(parsed.config.model.rope_theta == 500000.0);
    CHECK(parsed.config.measure.min_time_s == 0.25);
}

TEST_CASE("the variant list all expands to what this build can run on the device", "[options]")
{
    RunOptions options;
    options.variants = std::vector<std::string> { "all" };
    const auto parsed = build_sweep_config(options);
    REQUIRE(parsed.errors.empty());
    std::vector<std::string> expected;
    for (const compilescope::VariantInfo& variant : compilescope::list_variants(compilescope::Device::cpu)) {
        if (variant.available)
            expected.push_back(variant.name);
    }
    CHECK(parsed.config.variants == expected);
    CHECK(parsed.config.variants.front() == "eager");
}

TEST_CASE("bad flag values are errors naming the field and the allowed values", "[options]")
{
    // The typed options refuse these while CLI11 parses, so they go through the command line, one at a time.
    CHECK(has_error({ "--d-model", "16,abc" }, "--d-model", "d_model", "abc"));
    CHECK(has_error({ "--batch", "eight" }, "--batch", "batch", "eight"));
    CHECK(has_error({ "--model-batch", "1.5" }, "--model-batch", "batch", "1.5"));
    CHECK(has_error({ "--workload", "vision" }, "--workload", "workload", "attention, transformer_lm"));
    CHECK(has_error({ "--phases", "forward,sideways" }, "--phases", "phases", "forward_backward"));
    CHECK(has_error({ "--device", "tpu" }, "--device", "device", "cpu, cuda"));
    CHECK(has_error({ "--dtype", "fp64" }, "--dtype", "dtype", "fp32"));
    CHECK(has_error({ "--iters", "0" }, "--iters", "iters", ">= 1"));
    CHECK(has_error({ "--memory-limit-mb", "-1" }, "--memory-limit-mb", "memory_limit", ">= 0"));
    CHECK(has_error({ "--preset", "huge" }, "--preset", "preset", "cs336-small"));
}

TEST_CASE("validation errors name the flag of the part they are about", "[options]")
{
    using compilescope::cli::with_flags;
    SweepConfig config;
    config.attention.batch = 0;
    config.model.batch = 0;
    const auto errors = with_flags(compilescope::validate_config(config), config);
    const auto has_flag = [&](const std::string& flag) {
        return std::any_of(errors.begin(), errors.end(), [&](const auto& error) { return error.flag == flag; });
    };
    CHECK(has_flag("--batch"));
    CHECK(has_flag("--model-batch"));

    config.workloads = { compilescope::Workload::transformer_lm };
    const auto model_only = with_flags(compilescope::validate_config(config), config);
    REQUIRE(model_only.size() == 1);
    CHECK(model_only.front().flag == "--model-batch");
}
