// In-process: how `run` flags become a SweepConfig (order of preset, --quick and explicit flags; field names).
#include "cli_in_process.h"
#include "cli_process.h"
#include "run_options.h"
#include "typed_options.h"

#include "compilescope/engine/variants.h"
#include "compilescope/presets.h"
#include "compilescope/settings.h"

#include <CLI/CLI.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <sstream>

using compilescope::SweepConfig;
using compilescope::cli::build_sweep_config;
using compilescope::cli::RunOptions;

namespace {

/// The sweep flags of `arguments`, read by the options `run` has.
RunOptions parse(const std::vector<std::string>& arguments)
{
    CLI::App app;
    compilescope::cli::FlagErrors errors;
    RunOptions options;
    compilescope::cli::add_sweep_flags(app, options, errors);
    std::vector<const char*> argv { "run" };
    for (const std::string& argument : arguments)
        argv.push_back(argument.c_str());
    app.parse(static_cast<int>(argv.size()), argv.data());
    return options;
}

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
    CHECK(parsed.config.variants == build_sweep_config(parse({ "--variants", "all" })).config.variants);
    CHECK(parsed.config.variants.size() > defaults.variants.size());
}

TEST_CASE("attention flags never change the model", "[options]")
{
    const auto parsed = build_sweep_config(parse({ "--d-model", "16,32", "--seq-len", "64", "--batch", "2" }));
    REQUIRE(parsed.errors.empty());
    CHECK(parsed.config.attention.d_models == std::vector<int64_t> { 16, 32 });
    CHECK(parsed.config.attention.seq_lens == std::vector<int64_t> { 64 });
    CHECK(parsed.config.attention.batch == 2);
    const compilescope::ModelConfig model;
    CHECK(parsed.config.model.d_model == model.d_model);
    CHECK(parsed.config.model.seq_len == model.seq_len);
    CHECK(parsed.config.model.batch == model.batch);

    const auto with_model = build_sweep_config(parse({ "--d-model", "16,32", "--seq-len", "64", "--batch", "2",
        "--model-d-model", "64", "--model-seq-len", "32", "--model-batch", "3" }));
    CHECK(with_model.config.model.d_model == 64);
    CHECK(with_model.config.model.seq_len == 32);
    CHECK(with_model.config.model.batch == 3);
    CHECK(with_model.config.attention.d_models == std::vector<int64_t> { 16, 32 });
}

TEST_CASE("a preset fills grid and model, explicit flags override it", "[options]")
{
    const auto preset = compilescope::find_preset("cs336-small");
    REQUIRE(preset);
    const auto parsed = build_sweep_config(parse({ "--preset", "cs336-small", "--num-layers", "2" }));
    REQUIRE(parsed.errors.empty());
    CHECK(parsed.config.preset == "cs336-small");
    CHECK(parsed.config.model.d_model == preset->model.d_model);
    CHECK(parsed.config.model.num_layers == 2);
    CHECK(parsed.config.attention.d_models == preset->attention.d_models);
}

TEST_CASE("quick: applies after the preset and before explicit flags", "[options]")
{
    SweepConfig quick;
    compilescope::apply_preset(*compilescope::find_preset("seed"), quick);
    compilescope::apply_quick(quick);
    const auto parsed = build_sweep_config(parse({ "--preset", "seed", "--quick" }));
    CHECK(parsed.config.attention.d_models == quick.attention.d_models);
    CHECK(parsed.config.measure.min_time_s == quick.measure.min_time_s);

    // The flags' order does not matter: the preset, then --quick, then the explicit flags.
    const auto overridden
        = build_sweep_config(parse({ "--iters", "2", "--quick", "--seq-len", "32", "--preset", "seed" }));
    CHECK(overridden.config.measure.fixed_iters == 2);
    CHECK(overridden.config.attention.seq_lens == std::vector<int64_t> { 32 });
}

TEST_CASE("names and numbers are read into the configuration", "[options]")
{
    const auto parsed = build_sweep_config(parse({ "--workload", "all", "--phases", "forward,train_step", "--device",
        "cpu", "--dtype", "bf16", "--allocator", "system", "--sdpa-backend", "mem-efficient", "--flush-l2", "--seed",
        "42", "--memory-limit-mb", "3", "--causal", "--rope-theta", "500000", "--min-time", "0.25" }));
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
    const auto parsed = build_sweep_config(parse({ "--variants", "all" }));
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
    CHECK(has_error({ "--iters", "0" }, "--iters", "iters", "between 1 and"));
    CHECK(has_error({ "--memory-limit-mb", "-1" }, "--memory-limit-mb", "memory_limit", "between 0 and"));
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

TEST_CASE("every setting's flag is in the CLI reference and its JSON key in the schema", "[options][docs]")
{
    // The table is the one home of a setting; the two documents describe it and must not fall behind.
    const std::string reference = compilescope::test::read_text(COMPILESCOPE_SOURCE_DIR "/docs/cli.md");
    const std::string schema = compilescope::test::read_text(COMPILESCOPE_SOURCE_DIR "/docs/json-schema.md");
    compilescope::for_each_setting([&](const auto& setting) {
        INFO(setting.key);
        if (*setting.flag != '\0')
            CHECK(reference.find(std::string("`") + setting.flag) != std::string::npos);
        CHECK(schema.find(std::string("`") + setting.key + "`") != std::string::npos);
    });
}
