#include "compilescope/presets.h"
#include "compilescope/validation.h"

#include <catch2/catch.hpp>

#include <functional>

using namespace compilescope;

namespace {

/// The errors of a default configuration changed by `change`.
std::vector<ConfigError> errors_after(const std::function<void(SweepConfig&)>& change)
{
    SweepConfig config;
    change(config);
    return validate_config(config, MachineOffer());
}

/// Exactly one error, on `field`, whose message contains every fragment.
void check_single_error(const std::function<void(SweepConfig&)>& change, const std::string& field,
    const std::vector<std::string>& fragments)
{
    const std::vector<ConfigError> errors = errors_after(change);
    INFO(format_errors(errors));
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].field == field);
    for (const std::string& fragment : fragments)
        CHECK_THAT(errors[0].message, Catch::Contains(fragment));
}

} // namespace

TEST_CASE("the default configuration and every preset are valid", "[validation]")
{
    CHECK(validate_config(SweepConfig {}, MachineOffer()).empty());
    for (const Preset& preset : all_presets()) {
        SweepConfig config;
        apply_preset(preset, config);
        INFO(preset.name << ": " << format_errors(validate_config(config, MachineOffer())));
        CHECK(validate_config(config, MachineOffer()).empty());
        apply_quick(config);
        CHECK(validate_config(config, MachineOffer()).empty());
    }
}

TEST_CASE("attention sizes must be positive and distinct", "[validation]")
{
    check_single_error(
        [](SweepConfig& c) {
            c.attention.d_models = { 16, -4 };
        },
        "d_model", { "must be >= 1", "attention", "got -4" });
    check_single_error([](SweepConfig& c) { c.attention.seq_lens = { 0 }; }, "seq_len", { "must be >= 1", "got 0" });
    check_single_error([](SweepConfig& c) { c.attention.batch = 0; }, "batch", { "must be >= 1", "got 0" });
    check_single_error([](SweepConfig& c) { c.attention.d_models.clear(); }, "d_model", { "at least one value" });
    check_single_error([](SweepConfig& c) { c.attention.seq_lens.clear(); }, "seq_len", { "at least one value" });
    check_single_error([](SweepConfig& c) { c.attention.seq_lens = { 256, 256 }; }, "seq_len", { "256 twice" });
}

TEST_CASE("model sizes must be positive", "[validation]")
{
    check_single_error([](SweepConfig& c) { c.model.vocab_size = 0; }, "vocab_size", { "must be >= 1", "got 0" });
    check_single_error(
        [](SweepConfig& c) { c.model.context_length = -1; }, "context_length", { "must be >= 1", "got -1" });
    check_single_error([](SweepConfig& c) { c.model.num_layers = 0; }, "num_layers", { "must be >= 1", "got 0" });
    check_single_error([](SweepConfig& c) { c.model.d_ff = -768; }, "d_ff", { "must be >= 1", "got -768" });
    check_single_error([](SweepConfig& c) { c.model.batch = 0; }, "batch", { "transformer_lm", "got 0" });
    check_single_error([](SweepConfig& c) { c.model.rope_theta = 0; }, "rope_theta", { "must be > 0" });
    check_single_error([](SweepConfig& c) { c.model.num_heads = 0; }, "num_heads", { "must be >= 1", "got 0" });
    // d_model <= 0 also breaks divisibility; only the size itself is reported.
    check_single_error([](SweepConfig& c) { c.model.d_model = 0; }, "d_model", { "transformer_lm", "got 0" });
}

TEST_CASE("heads must divide d_model into an even head dimension", "[validation]")
{
    check_single_error([](SweepConfig& c) { c.model.num_heads = 5; }, "num_heads",
        { "must divide the model's d_model (192 % 5 = 2)" });
    check_single_error(
        [](SweepConfig& c) { c.model.num_heads = 64; }, "num_heads", { "192 / 64 = 3", "must be even", "RoPE" });
}

TEST_CASE("model seq_len must fit the context", "[validation]")
{
    check_single_error([](SweepConfig& c) { c.model.seq_len = 512; }, "seq_len",
        { "must be between 1 and the model's context_length (384), got 512" });
    check_single_error([](SweepConfig& c) { c.model.seq_len = 0; }, "seq_len",
        { "must be between 1 and the model's context_length (384), got 0" });
}

TEST_CASE("only the selected workloads are checked", "[validation]")
{
    CHECK(errors_after([](SweepConfig& c) {
        c.workloads = { Workload::attention };
        c.model.num_heads = 5;
    }).empty());
    CHECK(errors_after([](SweepConfig& c) {
        c.workloads = { Workload::transformer_lm };
        c.attention.d_models.clear();
    }).empty());
    check_single_error([](SweepConfig& c) { c.workloads.clear(); }, "workload",
        { "at least one workload", "attention, transformer_lm" });
}

TEST_CASE("variants must be known, distinct and include eager", "[validation]")
{
    std::string allowed;
    for (const std::string& name : MachineOffer().variants)
        allowed += (allowed.empty() ? "" : ", ") + name;

    check_single_error(
        [](SweepConfig& c) {
            c.variants = { "eager", "inductor" };
        },
        "variants", { "unknown variant \"inductor\"", "allowed: " + allowed });
    check_single_error([](SweepConfig& c) { c.variants = { "torchscript" }; }, "variants",
        { "must include eager", "got torchscript" });
    check_single_error([](SweepConfig& c) { c.variants = { "eager", "eager" }; }, "variants", { "\"eager\" twice" });
    check_single_error([](SweepConfig& c) { c.variants.clear(); }, "variants", { "at least one variant" });
}

TEST_CASE("phases must belong to a selected workload", "[validation]")
{
    check_single_error(
        [](SweepConfig& c) {
            c.workloads = { Workload::attention };
            c.phases = { Phase::forward, Phase::train_step };
        },
        "phases", { "train_step is not a phase", "attention: forward, backward, forward_backward" });
    CHECK(errors_after([](SweepConfig& c) { c.phases = { Phase::train_step }; }).empty());
}

TEST_CASE("device and dtype", "[validation]")
{
    // The default offer is a machine without CUDA.
    check_single_error([](SweepConfig& c) { c.device = Device::cuda; }, "device", { "cuda is not available" });
    check_single_error([](SweepConfig& c) { c.dtype = Dtype::tf32; }, "dtype", { "tf32", "cpu" });
    CHECK(errors_after([](SweepConfig& c) { c.dtype = Dtype::bf16; }).empty());
    check_single_error(
        [](SweepConfig& c) { c.measure.flush_l2 = true; }, "flush_l2", { "L2 cache", "needs device cuda" });
    CHECK(errors_after([](SweepConfig& c) { c.sdpa_backend = SdpaBackend::math; }).empty());
}

TEST_CASE("measurement settings", "[validation]")
{
    check_single_error([](SweepConfig& c) { c.measure.warmup_iters = -1; }, "warmup", { "must be >= 0", "got -1" });
    check_single_error([](SweepConfig& c) { c.measure.fixed_iters = -5; }, "iters", { "must be >= 0", "got -5" });
    check_single_error([](SweepConfig& c) { c.measure.min_time_s = 0; }, "min_time", { "must be > 0", "got 0" });
    check_single_error([](SweepConfig& c) { c.measure.max_time_s = -1; }, "max_time", { "must be > 0", "got -1" });
    check_single_error(
        [](SweepConfig& c) { c.measure.min_time_s = 20; }, "max_time", { "must be >= min_time (20 s), got 10 s" });
    check_single_error([](SweepConfig& c) { c.measure.min_iters = 0; }, "min_iters", { "must be >= 1", "got 0" });
    check_single_error([](SweepConfig& c) { c.measure.min_iters = 2000; }, "min_iters",
        { "must be between 1 and max_iters (1000), got 2000" });
    check_single_error([](SweepConfig& c) { c.measure.target_rel_error = 0; }, "target_rel_error", { "> 0" });
    check_single_error([](SweepConfig& c) { c.measure.noise_cv_threshold = -0.1; }, "noise_cv_threshold", { "> 0" });
    check_single_error([](SweepConfig& c) { c.threads = -2; }, "threads", { "must be >= 0", "got -2" });
    check_single_error([](SweepConfig& c) { c.memory_limit_bytes = -1; }, "memory_limit", { "must be >= 0" });
}

TEST_CASE("every problem is reported at once, formatted one per line", "[validation]")
{
    const std::vector<ConfigError> errors = errors_after([](SweepConfig& c) {
        c.model.num_heads = 5;
        c.model.seq_len = 512;
        c.measure.warmup_iters = -1;
    });
    REQUIRE(errors.size() == 3);
    CHECK(format_errors(errors)
        == "num_heads: must divide the model's d_model (192 % 5 = 2)\n"
           "seq_len: must be between 1 and the model's context_length (384), got 512\n"
           "warmup: must be >= 0, got -1");
}
