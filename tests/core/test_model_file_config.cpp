// A model file's sweep in the model library (docs/model-files.md): its configuration's checks, its cells (every point
// of its axes), their labels and table columns, and the run file that keeps them. No Python runs here.
#include "compilescope/model_file.h"
#include "compilescope/reports.h"
#include "compilescope/run_validation.h"
#include "compilescope/sweep_plan.h"
#include "compilescope/text_format.h"
#include "compilescope/validation.h"
#include "compilescope/variant_names.h"

#include <catch2/catch.hpp>

#include <functional>

using namespace compilescope;

namespace {

SweepConfig model_file_config()
{
    SweepConfig config;
    config.workloads = { Workload::model_file };
    config.model_file.path = "/home/user/models/mlp.py";
    config.model_file.axes = { { "batch", { 2, 4 } }, { "width", { 16, 32, 64 } } };
    config.variants = { py_eager_variant, torch_compile_variant };
    config.speedup_baseline = py_eager_variant;
    return config;
}

std::vector<std::string> error_fields(const SweepConfig& config)
{
    std::vector<std::string> fields;
    for (const ConfigError& error : validate_config(config, MachineOffer()))
        fields.push_back(error.field + ": " + error.message);
    return fields;
}

} // namespace

TEST_CASE("a model file's configuration is checked field by field", "[model-file][validation]")
{
    CHECK(error_fields(model_file_config()).empty());

    const auto single_error = [](const std::function<void(SweepConfig&)>& change, const std::string& expected) {
        SweepConfig config = model_file_config();
        change(config);
        const auto errors = error_fields(config);
        INFO(expected);
        REQUIRE(errors.size() == 1);
        CHECK_THAT(errors[0], Catch::Contains(expected));
    };
    single_error([](SweepConfig& c) { c.workloads.push_back(Workload::attention); }, "workload: model_file runs alone");
    single_error([](SweepConfig& c) { c.model_file.path.clear(); }, "model_file: needs a Python model file");
    single_error([](SweepConfig& c) { c.model_file.path = "mlp.py"; }, "model_file: must be an absolute path");
    single_error([](SweepConfig& c) { c.model_file.axes.clear(); }, "axes: a model file needs between 1 and 8 axes");
    single_error([](SweepConfig& c) { c.model_file.axes[1].name = "2nd"; },
        "axes: axis name \"2nd\" must be a Python identifier");
    single_error([](SweepConfig& c) { c.model_file.axes[1].name = "batch"; }, "axes: names the axis \"batch\" twice");
    single_error([](SweepConfig& c) { c.model_file.axes[0].values = { 2, 0 }; }, "axis batch: must be >= 1");
    single_error([](SweepConfig& c) { c.model_file.axes[1].values = { 16, 16 }; }, "axis width: lists 16 twice");
    single_error([](SweepConfig& c) { c.variants = { torch_compile_variant }; }, "variants: must include py-eager");
    single_error([](SweepConfig& c) { c.speedup_baseline = eager_variant; },
        "speedup_baseline: must be py-eager for a model file");
}

TEST_CASE("a model file's cells are every point of its axes, the last varying fastest", "[model-file]")
{
    SweepConfig config = model_file_config();
    config.phases = { Phase::forward };
    const std::vector<Measurement> plan = plan_measurements(config);
    REQUIRE(plan.size() == 2 * 3 * 2);
    CHECK(planned_measurements(config) == 12);
    std::vector<std::string> labels;
    for (size_t i = 0; i < plan.size(); i += 2)
        labels.push_back(cell_label(plan[i].cell));
    CHECK(labels
        == std::vector<std::string> { "model_file batch=2 width=16", "model_file batch=2 width=32",
            "model_file batch=2 width=64", "model_file batch=4 width=16", "model_file batch=4 width=32",
            "model_file batch=4 width=64" });
    CHECK(plan[0].variant == py_eager_variant);
    CHECK(plan[0].flops == 0); // nothing here knows the user's module's cost
    CHECK(plan[0].estimated_memory_bytes == 0);

    CHECK(cell_column_names(config) == std::vector<std::string> { "batch", "width" });
    CHECK(cell_column_values(config, plan[10].cell) == std::vector<std::string> { "4", "64" });
    CHECK(cell_column_names(SweepConfig {}) == std::vector<std::string> { "batch", "d_model", "seq_len" });
    CHECK(describe(plan[0].cell, Phase::forward) == "model_file forward, batch 2, width 16");
}

TEST_CASE("a model file's run keeps its file, axes and points, and a built-in run's file has neither",
    "[model-file][run_json]")
{
    RunResult run;
    run.config = model_file_config();
    run.started_at = run.finished_at = "2026-12-07T23:00:00+00:00";
    run.measurements = plan_measurements(run.config);
    const RunResult read = parse_run_json(to_json(run));
    CHECK(read.config.model_file == run.config.model_file);
    REQUIRE(read.measurements.size() == run.measurements.size());
    CHECK(read.measurements[12].cell == run.measurements[12].cell);
    // 6 measurements a cell (3 phases x 2 variants): the third cell is batch 2, width 64.
    CHECK(read.measurements[12].cell.point == std::vector<AxisValue> { { "batch", 2 }, { "width", 64 } });
    CHECK(validate_run(read).empty());

    // A point from a hostile file is checked like any size.
    RunResult bad = read;
    bad.measurements[0].cell.point[1].value = -3;
    const auto errors = validate_run(bad);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].field == "measurements[0].cell.point[1].value");

    RunResult builtin;
    builtin.config = SweepConfig {};
    builtin.measurements = plan_measurements(builtin.config);
    const std::string text = to_json(builtin);
    CHECK(text.find("\"model_file\"") == std::string::npos);
    CHECK(text.find("\"point\"") == std::string::npos);
}

TEST_CASE("an --axis replaces one axis's values, and names the file's axes when it names none of them", "[model-file]")
{
    std::vector<ModelAxis> axes { { "batch", { 8 } }, { "seq_len", { 64, 128 } } };
    override_axis(axes, "seq_len=32,256,1024");
    CHECK(axes[1].values == std::vector<int64_t> { 32, 256, 1024 });
    CHECK(axes[0].values == std::vector<int64_t> { 8 });
    CHECK_THROWS_WITH(override_axis(axes, "width=4"), Catch::Contains("the model file's axes (batch, seq_len)"));
    CHECK_THROWS_WITH(override_axis(axes, "batch"), Catch::Contains("must be NAME=V1,V2,..."));
    CHECK_THROWS_WITH(override_axis(axes, "batch=4,x"), Catch::Contains("got \"x\""));
    CHECK_THROWS_WITH(override_axis(axes, "batch="), Catch::Contains("values must be integers >= 1"));
}
