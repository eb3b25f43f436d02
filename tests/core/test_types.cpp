#include "compilescope/config.h"
#include "compilescope/types.h"

#include <catch2/catch.hpp>

using namespace compilescope;

TEST_CASE("names round-trip through parse_*", "[types]")
{
    CHECK(workload_names() == std::vector<std::string> { "attention", "transformer_lm", "model_file" });
    CHECK(phase_names() == std::vector<std::string> { "forward", "backward", "forward_backward", "train_step" });
    CHECK(device_names() == std::vector<std::string> { "cpu", "cuda" });
    CHECK(dtype_names() == std::vector<std::string> { "fp32", "tf32", "bf16", "fp16" });
    CHECK(allocator_policy_names() == std::vector<std::string> { "keep", "system" });

    for (const std::string& name : workload_names())
        CHECK(to_string(*parse_workload(name)) == name);
    for (const std::string& name : phase_names())
        CHECK(to_string(*parse_phase(name)) == name);
    for (const std::string& name : device_names())
        CHECK(to_string(*parse_device(name)) == name);
    for (const std::string& name : dtype_names())
        CHECK(to_string(*parse_dtype(name)) == name);
    for (const std::string& name : allocator_policy_names())
        CHECK(to_string(*parse_allocator_policy(name)) == name);
    for (const char* name : { "ok", "failed", "skipped", "unavailable", "cancelled" })
        CHECK(to_string(*parse_measurement_status(name)) == name);
}

TEST_CASE("unknown names parse to nothing", "[types]")
{
    CHECK_FALSE(parse_workload("mlp"));
    CHECK_FALSE(parse_phase("Forward"));
    CHECK_FALSE(parse_device("mps"));
    CHECK_FALSE(parse_dtype("fp8"));
    CHECK_FALSE(parse_allocator_policy(""));
    CHECK_FALSE(parse_measurement_status("done"));
}

TEST_CASE("phase display names and the phases of each workload", "[types]")
{
    CHECK(display_name(Phase::forward) == "Forward");
    CHECK(display_name(Phase::backward) == "Backward");
    CHECK(display_name(Phase::forward_backward) == "Forward+Backward");
    CHECK(display_name(Phase::train_step) == "Train step");
    CHECK(phases_of(Workload::attention)
        == std::vector<Phase> { Phase::forward, Phase::backward, Phase::forward_backward });
    CHECK(phases_of(Workload::transformer_lm) == std::vector<Phase> { Phase::forward, Phase::train_step });
}

TEST_CASE("selected_phases keeps the workload's order and drops what it lacks", "[types]")
{
    SweepConfig config;
    CHECK(selected_phases(config, Workload::attention) == phases_of(Workload::attention));
    config.phases = { Phase::train_step, Phase::backward, Phase::forward };
    CHECK(selected_phases(config, Workload::attention) == std::vector<Phase> { Phase::forward, Phase::backward });
    CHECK(
        selected_phases(config, Workload::transformer_lm) == std::vector<Phase> { Phase::forward, Phase::train_step });
    config.phases = { Phase::backward };
    CHECK(selected_phases(config, Workload::transformer_lm).empty());
}
