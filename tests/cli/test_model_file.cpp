// The user's own model (--model-file, docs/model-files.md) through the real binary: a race over the file's own axes,
// checked against py-eager and reported with those axes; a file that raises, prints, lacks a loss or hangs; and the
// usage errors that refuse a file before anything runs. No timing is asserted.
#include "cli_process.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <sys/stat.h>

using compilescope::test::read_text;
using compilescope::test::run_cli;
using compilescope::test::TempDir;
using nlohmann::json;

namespace {

const std::string mlp = std::string(COMPILESCOPE_SOURCE_DIR) + "/examples/model_files/mlp.py";

std::string write_model_file(const TempDir& dir, const std::string& name, const std::string& text)
{
    const std::string path = dir.file(name);
    std::ofstream(path) << text;
    ::chmod(path.c_str(), 0644);
    return path;
}

/// "width=8 forward py-eager" -> its measurement.
std::map<std::string, json> by_label(const json& run)
{
    std::map<std::string, json> measurements;
    for (const json& measurement : run["measurements"]) {
        std::string label;
        for (const json& axis : measurement["cell"]["point"])
            label += axis["name"].get<std::string>() + "=" + std::to_string(axis["value"].get<int>()) + " ";
        measurements[label + measurement["phase"].get<std::string>() + " " + measurement["variant"].get<std::string>()]
            = measurement;
    }
    return measurements;
}

const char* breaking_file = R"(
"""Breaks on purpose: prints to stdout, raises at one size, has no loss."""
import torch

AXES = {"width": [8, 12]}


def build(point, device, dtype):
    print("chatter on stdout that must not reach the protocol")
    if point["width"] == 12:
        raise ValueError("width 12 is not supported")
    return torch.nn.Linear(point["width"], 4).to(device, dtype), torch.randn(2, point["width"], dtype=dtype)
)";

} // namespace

TEST_CASE("a model file races py-eager against torch-compile over its own axes, checked and reported in them",
    "[python][model-file]")
{
    TempDir dir;
    const auto result = run_cli({ "run", "--model-file", mlp, "--axis", "batch=2", "--axis", "width=16,32", "--phases",
        "forward,train_step", "--iters", "3", "--warmup", "1", "--json", dir.file("run.json"), "--markdown",
        dir.file("run.md"), "--csv", dir.file("run.csv") });
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    const json run = json::parse(read_text(dir.file("run.json")));
    CHECK(run["config"]["workloads"] == json::array({ "model_file" }));
    CHECK(run["config"]["speedup_baseline"] == "py-eager");
    CHECK(run["config"]["model_file"]["axes"]
        == json::parse(R"([{"name": "batch", "values": [2]}, {"name": "width", "values": [16, 32]}])"));
    const auto measurements = by_label(run);
    REQUIRE(measurements.size() == 8); // 2 widths x 2 phases x 2 variants
    for (const auto& [label, measurement] : measurements) {
        INFO(label << ": " << measurement["message"]);
        CHECK(measurement["status"] == "ok");
        CHECK(measurement["stats"]["n"] == 3);
        if (measurement["variant"] == "torch-compile") {
            CHECK(measurement["correctness"]["checked"] == true);
            CHECK(measurement["correctness"]["passed"] == true);
        }
    }
    CHECK(measurements.count("batch=2 width=32 train_step torch-compile") == 1);

    // Every table places a cell by the file's axes, not by the built-in workloads' columns.
    CHECK_THAT(result.out, Catch::Contains("workload    batch  width  phase"));
    const std::string markdown = read_text(dir.file("run.md"));
    CHECK_THAT(markdown, Catch::Contains("| Workload | batch | width | Phase | Variant |"));
    CHECK_THAT(markdown, Catch::Contains("| Model file axes | batch 2 × width 16, 32 |"));
    CHECK_THAT(read_text(dir.file("run.csv")), Catch::StartsWith("workload,batch,width,phase,variant,status,"));
}

TEST_CASE("a model file that raises, prints or lacks a loss: each cell says why, with the file's line, and the sweep "
          "goes on",
    "[python][model-file]")
{
    TempDir dir;
    const std::string file = write_model_file(dir, "breaking.py", breaking_file);
    const auto result = run_cli({ "run", "--model-file", file, "--phases", "forward,forward_backward", "--iters", "2",
        "--warmup", "1", "--json", dir.file("run.json") });
    INFO(result.err);
    CHECK(result.exit_code == 1); // a measurement failed
    const auto measurements = by_label(json::parse(read_text(dir.file("run.json"))));
    REQUIRE(measurements.size() == 8);
    CHECK(measurements.at("width=8 forward py-eager")["status"] == "ok");
    CHECK(measurements.at("width=8 forward torch-compile")["status"] == "ok");
    for (const char* variant : { "py-eager", "torch-compile" }) {
        const json& no_loss = measurements.at(std::string("width=8 forward_backward ") + variant);
        CHECK(no_loss["status"] == "unavailable");
        CHECK_THAT(no_loss["message"].get<std::string>(), Catch::Contains("defines no loss(output, inputs)"));
    }
    const json& raised = measurements.at("width=12 forward py-eager");
    CHECK(raised["status"] == "failed");
    CHECK_THAT(raised["message"].get<std::string>(), Catch::Contains("ValueError: width 12 is not supported"));
    CHECK_THAT(raised["message"].get<std::string>(), Catch::Contains("breaking.py, line 11, in build"));
    const json& after = measurements.at("width=12 forward torch-compile");
    CHECK(after["status"] == "failed");
    CHECK_THAT(after["message"].get<std::string>(), Catch::Contains("no py-eager reference"));
}

TEST_CASE("a model file that hangs while it is imported is stopped at its stage's deadline", "[python][model-file]")
{
    TempDir dir;
    const std::string file = write_model_file(dir, "hangs.py",
        "import time\ntime.sleep(600)\nAXES = {\"n\": [1]}\n\ndef build(point, device, dtype):\n    pass\n");
    compilescope::test::CliSetup setup;
    setup.environment = { "COMPILESCOPE_FAILPOINTS=python_answer=short" }; // each stage's deadline cut to 2 s
    const auto result = run_cli({ "run", "--model-file", file, "--phases", "forward", "--variants", "py-eager",
                                    "--iters", "2", "--json", dir.file("run.json") },
        setup);
    INFO(result.err);
    CHECK(result.exit_code == 1);
    const json run = json::parse(read_text(dir.file("run.json")));
    REQUIRE(run["measurements"].size() == 1);
    CHECK(run["measurements"][0]["status"] == "failed");
    CHECK_THAT(run["measurements"][0]["message"].get<std::string>(),
        Catch::Contains("gave no answer within 2 s while building"));
}

TEST_CASE(
    "a model file that cannot be swept is refused before anything runs, naming the file and the line", "[model-file]")
{
    TempDir dir;
    struct Case {
        const char* name;
        std::string text;
        std::vector<std::string> extra;
        std::string expected;
    };
    const std::string good = "AXES = {\"batch\": [1, 2]}\ndef build(point, device, dtype):\n    pass\n";
    const std::vector<Case> cases {
        { "syntax.py", "AXES = {\"batch\": [1]}\ndef build(point, device, dtype)\n    pass\n", {},
            "syntax.py, line 2: SyntaxError" },
        { "no_axes.py", "def build(point, device, dtype):\n    pass\n", {}, "defines no AXES" },
        { "computed.py", "N = 4\nAXES = {\"batch\": [N]}\ndef build(point, device, dtype):\n    pass\n", {},
            "computed.py, line 2: AXES must be a literal dict" },
        { "no_build.py", "AXES = {\"batch\": [1]}\n", {}, "defines no function build(point, device, dtype)" },
        { "axis.py", good, { "--axis", "width=4" }, "NAME one of the model file's axes (batch)" },
        { "values.py", good, { "--axis", "batch=0,2" }, "--axis batch: values must be integers >= 1" },
    };
    for (const Case& c : cases) {
        const std::string file = write_model_file(dir, c.name, c.text);
        std::vector<std::string> arguments { "run", "--model-file", file };
        arguments.insert(arguments.end(), c.extra.begin(), c.extra.end());
        const auto result = run_cli(arguments);
        INFO(c.name << ": " << result.err);
        CHECK(result.exit_code == 2);
        CHECK_THAT(result.err, Catch::Contains(c.expected));
    }

    const auto missing = run_cli({ "run", "--model-file", dir.file("absent.py") });
    CHECK(missing.exit_code == 2);
    CHECK_THAT(missing.err, Catch::Contains("model_file (--model-file): cannot open the model file"));

    // Its code runs in the sweep: a file other users may write is refused.
    const std::string shared = write_model_file(dir, "shared.py", good);
    ::chmod(shared.c_str(), 0666);
    const auto writable = run_cli({ "run", "--model-file", shared });
    CHECK(writable.exit_code == 2);
    CHECK_THAT(writable.err, Catch::Contains("can be written by other users"));

    const auto orphan_axis = run_cli({ "run", "--axis", "batch=2" });
    CHECK(orphan_axis.exit_code == 2);
    CHECK_THAT(orphan_axis.err, Catch::Contains("axes (--axis): sets an axis of a model file and needs --model-file"));
}

TEST_CASE("the decoder example runs at a tiny size, its forward outputs and train-step gradients checked",
    "[python][model-file]")
{
    TempDir dir;
    const auto result
        = run_cli({ "run", "--model-file", std::string(COMPILESCOPE_SOURCE_DIR) + "/examples/model_files/decoder.py",
            "--axis", "batch=1", "--axis", "seq_len=8", "--axis", "width=16", "--axis", "layers=1", "--phases",
            "forward,train_step", "--iters", "2", "--warmup", "1", "--json", dir.file("run.json") });
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    const auto measurements = by_label(json::parse(read_text(dir.file("run.json"))));
    REQUIRE(measurements.size() == 4);
    for (const char* phase : { "forward", "train_step" }) {
        const json& compiled
            = measurements.at(std::string("batch=1 seq_len=8 width=16 layers=1 ") + phase + " torch-compile");
        INFO(phase << ": " << compiled["message"]);
        CHECK(compiled["status"] == "ok");
        CHECK(compiled["correctness"]["checked"] == true);
        CHECK(compiled["correctness"]["passed"] == true);
        // The train step compares the loss and every parameter's gradient: its worst tensor is one of those.
        if (std::string(phase) == "train_step")
            CHECK_THAT(compiled["correctness"]["detail"].get<std::string>(),
                Catch::Contains("worst: grad ") || Catch::Contains("worst: loss"));
    }
}

TEST_CASE("every zoo model runs at a tiny size, torch-compile's forward checked against py-eager's",
    "[python][model-file][zoo]")
{
    // The zoo is built on transformers, which the project venv pins (tools/python-requirements.txt); a Python given
    // at build time (a CUDA machine's) may lack it, and then the zoo cannot run there: said, not hidden.
    const auto probe = run_cli({ "run", "--model-file", std::string(COMPILESCOPE_SOURCE_DIR) + "/zoo/moe.py", "--axis",
        "batch=1", "--axis", "seq_len=2", "--axis", "experts=2", "--phases", "forward", "--variants", "py-eager",
        "--iters", "1", "--warmup", "0" });
    if (probe.exit_code != 0 && probe.err.find("No module named 'transformers'") != std::string::npos) {
        WARN("the build's Python has no transformers: the zoo is not tested here");
        return;
    }
    const std::vector<std::pair<std::string, std::vector<std::string>>> tiny {
        { "gpt2", { "batch=1", "seq_len=8", "layers=1" } },
        { "llama", { "batch=1", "seq_len=8", "layers=1" } },
        { "bert", { "batch=1", "seq_len=8", "layers=1" } },
        { "vit", { "batch=1", "image_size=32", "layers=1" } },
        { "resnet50", { "batch=2", "image_size=32" } },
        { "moe", { "batch=1", "seq_len=8", "experts=4" } },
    };
    for (const auto& [model, axes] : tiny) {
        TempDir dir;
        std::vector<std::string> arguments { "run", "--model-file",
            std::string(COMPILESCOPE_SOURCE_DIR) + "/zoo/" + model + ".py", "--phases", "forward", "--iters", "2",
            "--warmup", "1", "--json", dir.file("run.json") };
        for (const std::string& axis : axes) {
            arguments.emplace_back("--axis");
            arguments.push_back(axis);
        }
        const auto result = run_cli(arguments);
        INFO(model << ": " << result.err);
        REQUIRE(result.exit_code == 0);
        const json run = json::parse(read_text(dir.file("run.json")));
        REQUIRE(run["measurements"].size() == 2);
        const json& compiled = run["measurements"][1];
        CHECK(compiled["variant"] == "torch-compile");
        CHECK(compiled["status"] == "ok");
        CHECK(compiled["correctness"]["passed"] == true);
    }
}

TEST_CASE("torch.compile explained: a module that breaks its graph on purpose records the break, its reason and its "
          "function, with the compile time by stage",
    "[python][model-file][explained]")
{
    TempDir dir;
    const std::string file = write_model_file(dir, "breaks.py", R"(
import torch

AXES = {"n": [64]}


class Breaks(torch.nn.Module):
    def forward(self, x):
        y = x.sin()
        if y.sum() > 0:  # data-dependent branching: Dynamo cannot trace it, so the graph breaks here
            y = y * 2
        return y.cos()


def build(point, device, dtype):
    return Breaks(), torch.randn(point["n"], device=device, dtype=dtype)
)");
    const auto result = run_cli({ "run", "--model-file", file, "--phases", "forward", "--iters", "2", "--warmup", "1",
        "--json", dir.file("run.json"), "--markdown", dir.file("run.md") });
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    const json run = json::parse(read_text(dir.file("run.json")));
    REQUIRE(run["measurements"].size() == 2);
    CHECK_FALSE(run["measurements"][0].contains("compile_explained")); // py-eager compiles nothing
    const json& explained = run["measurements"][1]["compile_explained"];
    INFO(explained.dump());
    CHECK(explained["graphs"].get<int>() >= 2); // one before the break, one after
    REQUIRE(explained["graph_breaks"].size() >= 1);
    CHECK_FALSE(explained["graph_breaks"][0]["reason"].get<std::string>().empty());
    CHECK(explained["graph_breaks"][0]["where"] == "breaks.py:10 in forward"); // the `if` on a tensor
    CHECK(explained["recompiles"].empty());
    CHECK(explained["dynamo_ms"].get<double>() > 0);
    CHECK(explained["inductor_ms"].get<double>() + explained["codegen_ms"].get<double>() > 0);
    CHECK_THAT(read_text(dir.file("run.md")), Catch::Contains("## torch.compile explained"));
}
