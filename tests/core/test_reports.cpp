#include "compilescope/file_io.h"
#include "compilescope/reports.h"

#include "sample_run.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <sstream>

using namespace compilescope;

namespace {

/// Compares `actual` with a checked-in golden file. COMPILESCOPE_UPDATE_GOLDEN=1 rewrites the file instead
/// (then read the diff before committing it).
void check_golden(const std::string& name, const std::string& actual)
{
    const std::string path = std::string(COMPILESCOPE_GOLDEN_DIR) + "/" + name;
    if (std::getenv("COMPILESCOPE_UPDATE_GOLDEN") != nullptr)
        write_file_atomically(path, actual);
    const std::string expected = read_file(path);
    INFO("golden file " << path << " differs; rerun with COMPILESCOPE_UPDATE_GOLDEN=1 and review the diff");
    CHECK(actual == expected);
}

std::vector<std::string> lines_of(const std::string& text, const std::string& separator = "\n")
{
    std::vector<std::string> lines;
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.find(separator, start);
        if (end == std::string::npos)
            end = text.size();
        lines.push_back(text.substr(start, end - start));
        start = end + separator.size();
    }
    return lines;
}

bool has_line(const std::string& text, const std::string& line)
{
    for (const std::string& candidate : lines_of(text)) {
        if (candidate == line)
            return true;
    }
    return false;
}

std::string error_of(const std::string& json)
{
    try {
        parse_run_json(json);
    } catch (const RunFileError& error) {
        return error.what();
    }
    return "(no error)";
}

using Json = nlohmann::ordered_json;

std::string without(const std::string& pointer)
{
    Json document = Json::parse(to_json(testing::sample_run()));
    const Json::json_pointer path(pointer);
    document[path.parent_pointer()].erase(path.back());
    return document.dump();
}

std::string replaced(const std::string& pointer, const Json& value)
{
    Json document = Json::parse(to_json(testing::sample_run()));
    document[Json::json_pointer(pointer)] = value;
    return document.dump();
}

} // namespace

TEST_CASE("seed Markdown matches the golden file", "[reports][markdown]")
{
    check_golden("seed_report.md", seed_markdown(testing::sample_run()));
}

TEST_CASE("full Markdown matches the golden file", "[reports][markdown]")
{
    check_golden("full_report.md", full_markdown(testing::sample_run_with_problems()));
}

TEST_CASE("seed Markdown keeps the seed's headings and columns", "[reports][markdown]")
{
    const std::string text = seed_markdown(testing::sample_run());
    for (const char* line :
        { "# torch.compile Benchmark Results", "**Device Availability:**", "- CUDA: False", "- MPS: False",
            "## Attention Module Compilation Results", "Comparison of compiled vs uncompiled attention implementation:",
            "| d_model | seq_len | Uncompiled Forward (ms) | Compiled Forward (ms) | Forward Speedup | Uncompiled "
            "Backward (ms) | Compiled Backward (ms) | Backward Speedup |",
            "## Transformer Model Compilation Results", "### Model Configuration", "- **vocab_size:** 1000",
            "- **context_length:** 384", "- **d_model:** 192", "- **num_layers:** 3", "- **num_heads:** 6",
            "- **d_ff:** 768", "- **device:** cpu", "- **Batch size:** 6", "- **Sequence length:** 192",
            "### Performance Results",
            "| Version | Forward Only (ms) | Forward+Backward+Optimizer (ms) | Full Step Speedup |", "## Analysis",
            "### Key Observations" }) {
        INFO(line);
        CHECK(has_line(text, line));
    }
    CHECK(text.find("**LibTorch Version:** 1.13.1  \n") != std::string::npos); // two spaces: a Markdown line break
    CHECK(text.find("**Date:** 2026-11-05 14:03:22  \n") != std::string::npos);
    CHECK(text.find("| Compiled | ") != std::string::npos); // one compiled variant: the seed's row label
}

TEST_CASE("seed Markdown leaves out workloads that did not run", "[reports][markdown]")
{
    RunResult run = testing::sample_run();
    std::vector<Measurement> attention_only;
    for (const Measurement& measurement : run.measurements) {
        if (measurement.cell.workload == Workload::attention)
            attention_only.push_back(measurement);
    }
    run.measurements = attention_only;
    const std::string text = seed_markdown(run);
    CHECK(text.find("## Attention Module Compilation Results") != std::string::npos);
    CHECK(text.find("## Transformer Model Compilation Results") == std::string::npos);
}

TEST_CASE("several compiled variants get one table each", "[reports][markdown]")
{
    RunResult run = testing::sample_run();
    run.config.variants.push_back("cuda-graph");
    const std::vector<Measurement> measured = run.measurements;
    for (Measurement measurement : measured) {
        if (measurement.variant == "torchscript") {
            measurement.variant = "cuda-graph";
            run.measurements.push_back(measurement);
        }
    }
    const std::string text = seed_markdown(run);
    CHECK(has_line(text, "### torchscript"));
    CHECK(has_line(text, "### cuda-graph"));
    CHECK(text.find("| Compiled (torchscript) | ") != std::string::npos);
    CHECK(text.find("| Compiled (cuda-graph) | ") != std::string::npos);
}

TEST_CASE("failed and skipped cells show their status, and unavailable variants get no table", "[reports][markdown]")
{
    const std::string text = seed_markdown(testing::sample_run_with_problems());
    CHECK(text.find("| 64 | 1024 | skipped | 64.50±1.0 | — | 142.22±2.1 | failed | — |") != std::string::npos);
    CHECK_FALSE(has_line(text, "### fused-sdpa"));
    CHECK(text.find("| Compiled (fused-sdpa)") == std::string::npos);
    CHECK(has_line(text,
        "- **fused-sdpa**: unavailable: needs at::scaled_dot_product_attention (LibTorch >= 2.0); "
        "this is 1.13.1"));
}

TEST_CASE("JSON round-trips to the same JSON and the same reports", "[reports][json]")
{
    for (const RunResult& run : { testing::sample_run(), testing::sample_run_with_problems() }) {
        const std::string json = to_json(run);
        const RunResult parsed = parse_run_json(json);
        CHECK(to_json(parsed) == json);
        CHECK(full_markdown(parsed) == full_markdown(run));
        CHECK(to_csv(parsed) == to_csv(run));
    }
}

TEST_CASE(
    "JSON keeps the SDPA backend and the L2 flush, and reads files from before them as auto and off", "[reports][json]")
{
    RunResult run = testing::sample_run();
    run.config.sdpa_backend = SdpaBackend::math;
    run.config.measure.flush_l2 = true;
    const RunResult parsed = parse_run_json(to_json(run));
    CHECK(parsed.config.sdpa_backend == SdpaBackend::math);
    CHECK(parsed.config.measure.flush_l2);

    Json older = Json::parse(to_json(run));
    older["config"].erase("sdpa_backend");
    older["config"]["measure"].erase("flush_l2");
    const RunResult old_run = parse_run_json(older.dump());
    CHECK(old_run.config.sdpa_backend == SdpaBackend::auto_select);
    CHECK_FALSE(old_run.config.measure.flush_l2);
    CHECK(error_of(replaced("/config/sdpa_backend", "fastest"))
        == "invalid run file: field \"config.sdpa_backend\" has unknown value \"fastest\" (allowed: auto, flash, "
           "mem-efficient, cudnn, math)");
}

TEST_CASE("JSON has the documented envelope, with optionals as null", "[reports][json]")
{
    const Json document = Json::parse(to_json(testing::sample_run()));
    CHECK(document["schema"] == "compilescope-run");
    CHECK(document["schema_version"] == 1);
    CHECK(document["config"]["seed"] == 42);
    CHECK(document["measurements"][0]["variant"] == "eager");
    CHECK(document["measurements"][0]["compile_ms"].is_null());
    CHECK(document["measurements"][1]["compile_ms"] == 116.0);
    CHECK(document["measurements"][0]["samples_ms"].size() == 12);
}

TEST_CASE("malformed or foreign JSON is rejected with a clear message", "[reports][json]")
{
    CHECK_THAT(error_of("{\"schema\": "), Catch::StartsWith("malformed JSON: "));
    CHECK_THAT(error_of(""), Catch::StartsWith("malformed JSON: "));
    CHECK_THAT(error_of("[1, 2]"), Catch::Contains("not a JSON object"));
    CHECK_THAT(error_of("{}"), Catch::Contains("\"schema\" field is missing"));
    CHECK_THAT(error_of(replaced("/schema", "other-tool")), Catch::Contains("expected \"compilescope-run\""));
    CHECK_THAT(error_of(replaced("/schema_version", 2)), Catch::Contains("unsupported schema_version 2"));
    CHECK_THAT(error_of(replaced("/schema_version", "1")), Catch::Contains("schema_version"));
}

TEST_CASE("a missing or mistyped field is named", "[reports][json]")
{
    CHECK(error_of(without("/config")) == "invalid run file: field \"config\" is missing");
    CHECK(error_of(without("/started_at")) == "invalid run file: field \"started_at\" is missing");
    CHECK(error_of(without("/measurements/3/stats/mean_ms"))
        == "invalid run file: field \"measurements[3].stats.mean_ms\" is missing");
    CHECK(error_of(without("/environment/libtorch_version"))
        == "invalid run file: field \"environment.libtorch_version\" is missing");
    CHECK(error_of(replaced("/config/threads", "two"))
        == "invalid run file: field \"config.threads\" must be an integer, got a string");
    CHECK(error_of(replaced("/config/attention/d_models/1", 1.5))
        == "invalid run file: field \"config.attention.d_models[1]\" must be an integer, got a number");
    CHECK(error_of(replaced("/cancelled", 0))
        == "invalid run file: field \"cancelled\" must be true or false, got an integer");
    CHECK(error_of(replaced("/measurements", Json::object()))
        == "invalid run file: field \"measurements\" must be an array, got an object");
    CHECK(error_of(replaced("/measurements/0", 7))
        == "invalid run file: field \"measurements[0]\" must be an object, got an integer");
    CHECK(error_of(replaced("/config/device", "tpu"))
        == "invalid run file: field \"config.device\" has unknown value \"tpu\" (allowed: cpu, cuda)");
    CHECK(error_of(replaced("/measurements/2/status", "done"))
        == "invalid run file: field \"measurements[2].status\" has unknown value \"done\" (allowed: ok, failed, "
           "skipped, unavailable, cancelled)");
    CHECK(error_of(replaced("/config/seed", -1))
        == "invalid run file: field \"config.seed\" must be a non-negative integer, got an integer");
    CHECK(error_of(replaced("/measurements/1/samples_ms/2", "x"))
        == "invalid run file: field \"measurements[1].samples_ms[2]\" must be a number, got a string");
}

TEST_CASE("CSV has a header and one row per measurement", "[reports][csv]")
{
    const RunResult run = testing::sample_run_with_problems();
    const std::string csv = to_csv(run);
    REQUIRE(csv.size() > 2);
    CHECK(csv.substr(csv.size() - 2) == "\r\n");
    const std::vector<std::string> rows = lines_of(csv, "\r\n");
    REQUIRE(rows.size() == run.measurements.size() + 1);
    CHECK(rows[0]
        == "workload,batch,d_model,seq_len,phase,variant,status,mean_ms,std_ms,median_ms,q1_ms,q3_ms,min_ms,max_ms,n,"
           "cv,speedup_median,speedup_median_ci_low,speedup_median_ci_high,speedup_mean,speedup_mean_ci_low,"
           "speedup_mean_ci_high,interval_verdict,compile_ms,first_call_ms,"
           "peak_memory_bytes,max_rel_error,message");
    // The eager row of the first cell: timed, speedup exactly 1, no compile time.
    CHECK_THAT(rows[1], Catch::StartsWith("attention,8,16,256,forward,eager,ok,"));
    CHECK_THAT(rows[1], Catch::Contains(",12,"));
    CHECK_THAT(rows[1], Catch::Contains(",1,1,1,1,1,1,counts,,,"));
}

TEST_CASE("CSV leaves an interval that does not count empty and says why", "[reports][csv][few]")
{
    const RunResult run = testing::sample_run_with_problems();
    const std::vector<std::string> rows = lines_of(to_csv(run), "\r\n");
    const auto row_of = [&](const std::string& start) {
        for (const std::string& row : rows) {
            if (row.rfind(start, 0) == 0)
                return row;
        }
        return std::string();
    };
    const auto fields = [](const std::string& row) { return lines_of(row, ","); };
    // The header's columns, by name: the row's fields line up with them.
    const std::vector<std::string> header = fields(rows[0]);
    const auto column = [&](const std::string& name) {
        return static_cast<size_t>(std::find(header.begin(), header.end(), name) - header.begin());
    };
    // The model's forward: 4 samples on each side. The ratios stay; the four interval columns are empty.
    const std::vector<std::string> few = fields(row_of("transformer_lm,6,192,192,forward,torchscript,ok,"));
    REQUIRE(few.size() > column("interval_verdict"));
    CHECK(few[column("n")] == "4");
    CHECK_FALSE(few[column("speedup_median")].empty());
    CHECK_FALSE(few[column("speedup_mean")].empty());
    for (const char* name :
        { "speedup_median_ci_low", "speedup_median_ci_high", "speedup_mean_ci_low", "speedup_mean_ci_high" })
        CHECK(few[column(name)].empty());
    CHECK(few[column("interval_verdict")] == "too_few_samples");
    // The baseline's own row with too few samples: exactly 1, with no interval either.
    const std::vector<std::string> baseline = fields(row_of("transformer_lm,6,192,192,forward,eager,ok,"));
    CHECK(baseline[column("speedup_median")] == "1");
    CHECK(baseline[column("speedup_median_ci_low")].empty());
    CHECK(baseline[column("interval_verdict")] == "too_few_samples");
    // Samples on the 4-ms time-slice grid.
    const std::vector<std::string> grid = fields(row_of("attention,8,16,256,backward,torchscript,ok,"));
    CHECK(grid[column("speedup_median_ci_low")].empty());
    CHECK(grid[column("interval_verdict")] == "time_slice_grid");
    // A counted one.
    const std::vector<std::string> counted = fields(row_of("attention,8,16,256,forward,torchscript,ok,"));
    CHECK_FALSE(counted[column("speedup_median_ci_low")].empty());
    CHECK(counted[column("interval_verdict")] == "counts");
}

TEST_CASE("the reports give no interval and no headline from too few samples or a time-slice grid",
    "[reports][markdown][few]")
{
    const std::string text = full_markdown(testing::sample_run_with_problems());
    // Timing Statistics: the ratios, and the reason in place of each interval.
    CHECK(text.find("| too few samples | 0.98x | too few samples |") != std::string::npos);
    CHECK(text.find("| time-slice grid |") != std::string::npos);
    // Key Observations: the model's forward makes no verdict, and the short and gridded measurements are named.
    CHECK(text.find("no verdict for the forward pass alone (median 0.98x; fewer than 10 samples on a side: too few "
                    "for an interval)")
        != std::string::npos);
    CHECK(text.find("- 2 of ") != std::string::npos);
    CHECK(text.find("have fewer than 10 samples, too few for an interval") != std::string::npos);
    CHECK(text.find("- 1 of ") != std::string::npos);
    CHECK(text.find("was timed on the scheduler's time-slice grid, the process waiting for the CPU")
        != std::string::npos);
    CHECK(text.find("torchscript attention backward, d_model 16, seq_len 256 (4 ms)") != std::string::npos);
    // Its note, as the engine writes it, in the notes.
    CHECK(text.find("timed on the scheduler's time-slice grid: 12 of 12 samples lie on a grid of 4 ms steps")
        != std::string::npos);
    // Nothing anywhere shows an interval from the gridded cell's samples.
    CHECK(text.find("95% CI [0.0") == std::string::npos);
}

TEST_CASE("a headline needs an interval that counts", "[reports][markdown][few]")
{
    RunResult run = testing::sample_run();
    // Every torchscript attention measurement cut to 3 samples.
    for (Measurement& measurement : run.measurements) {
        if (measurement.variant == "torchscript" && measurement.cell.workload == Workload::attention) {
            measurement.samples_ms.resize(3);
            measurement.stats = summarize(measurement.samples_ms);
        }
    }
    const std::string text = seed_markdown(run);
    INFO(text);
    CHECK(text.find("- **Attention compilation** (torchscript): no median speedup to report; none of its 12 "
                    "attention measurements has an interval that counts (too few samples)")
        != std::string::npos);
    CHECK(text.find("Best attention cell") == std::string::npos);
    CHECK(text.find("no interval for 13 (too few samples)") != std::string::npos); // and the model's forward
    // The train step (12 samples a side) still makes its own verdict.
    CHECK(text.find("complete training step (median") != std::string::npos);

    // One phase without, the others with: the phase is named, its cells left out of no average.
    RunResult mixed = testing::sample_run();
    for (Measurement& measurement : mixed.measurements) {
        if (measurement.variant == "torchscript" && measurement.phase == Phase::backward) {
            measurement.samples_ms.resize(5);
            measurement.stats = summarize(measurement.samples_ms);
        }
    }
    const std::string partly = seed_markdown(mixed);
    INFO(partly);
    CHECK(partly.find("; none for the backward pass (no cell with an interval that counts)") != std::string::npos);
    CHECK(partly.find("for forward pass (4 cells)") != std::string::npos);
}

TEST_CASE("CSV quotes fields per RFC 4180", "[reports][csv]")
{
    const std::string csv = to_csv(testing::sample_run_with_problems());
    // The out-of-memory message has a comma and double quotes: quoted, quotes doubled.
    CHECK(csv.find(",\"out of memory: tried to allocate 512.00 MiB, \"\"free\"\" 100 MiB\"\r\n") != std::string::npos);

    RunResult run = testing::sample_run();
    run.measurements.resize(1);
    run.measurements[0].message = "line one\nline two";
    run.measurements[0].variant = "plain";
    const std::string multiline = to_csv(run);
    CHECK(multiline.find(",\"line one\nline two\"\r\n") != std::string::npos);
    CHECK(multiline.find(",plain,") != std::string::npos);
}

TEST_CASE("CSV leaves values empty where there are none", "[reports][csv]")
{
    const std::string csv = to_csv(testing::sample_run_with_problems());
    // Unavailable: no timings, no speedup, no compile time, no memory, no check.
    CHECK(
        csv.find("attention,8,16,256,forward,fused-sdpa,unavailable,,,,,,,,,,,,,,,,,,,,,needs ") != std::string::npos);
}

TEST_CASE("a run cancelled before anything finished still reports", "[reports][markdown]")
{
    RunResult run = testing::sample_run();
    run.measurements.clear();
    run.cancelled = true;
    const std::string text = full_markdown(run);
    CHECK(has_line(text, "# torch.compile Benchmark Results"));
    CHECK(has_line(text, "- Cancelled before the sweep finished"));
    CHECK(has_line(text, "- No measurement finished"));
    CHECK(has_line(text, "- The run was cancelled: the tables hold only the measurements that finished"));
    CHECK(text.find("## Attention Module Compilation Results") == std::string::npos);
    CHECK(text.find("## Transformer Model Compilation Results") == std::string::npos);
    CHECK(has_line(text, "No measurement was timed."));
    CHECK(parse_run_json(to_json(run)).cancelled);
    CHECK(lines_of(to_csv(run), "\r\n").size() == 1);
}

TEST_CASE("an eager-only run shows dashes where compiled values would be", "[reports][markdown]")
{
    RunResult run = testing::sample_run();
    run.config.variants = { "eager" };
    std::vector<Measurement> eager;
    for (const Measurement& measurement : run.measurements) {
        if (measurement.variant == "eager")
            eager.push_back(measurement);
    }
    run.measurements = eager;
    const std::string text = seed_markdown(run);
    CHECK(text.find("| 64 | 256 | 4.70±0.1 | — | — | 9.87±0.1 | — | — |") != std::string::npos);
    CHECK(has_line(text, "| Uncompiled | 6.84±0.1 | 20.32±0.3 | 1.00x |"));
    CHECK(has_line(text, "- Only eager ran: there is no compiled variant to compare"));
}

TEST_CASE("a single-sample training step makes no verdict", "[reports][markdown]")
{
    RunResult run = testing::sample_run();
    run.config.threads = 1;
    for (Measurement& measurement : run.measurements) {
        if (measurement.phase == Phase::train_step) {
            measurement.samples_ms.resize(1);
            measurement.stats = summarize(measurement.samples_ms);
        }
    }
    const std::string text = seed_markdown(run);
    CHECK(has_line(text, "- Threads: 1 intra-op thread"));
    CHECK(text.find("no verdict for complete training step (median 1.01x; fewer than 10 samples on a side: too few "
                    "for an interval)")
        != std::string::npos);
    CHECK(text.find("** median speedup for complete training step") == std::string::npos); // nothing in bold
}

TEST_CASE("a headline whose interval holds 1.0x is no speedup, and what compiles nothing is not called compiled",
    "[reports][markdown]")
{
    RunResult run = testing::sample_run();
    const Measurement eager_train = *std::find_if(run.measurements.begin(), run.measurements.end(),
        [](const Measurement& m) { return m.variant == "eager" && m.phase == Phase::train_step; });
    REQUIRE(eager_train.samples_ms.size() >= 2);
    for (Measurement& measurement : run.measurements) {
        if (measurement.variant == "torchscript" && measurement.phase == Phase::train_step) {
            measurement.samples_ms = eager_train.samples_ms; // timed as eager was: the interval holds 1.0x
            measurement.stats = eager_train.stats;
        }
    }
    const std::string text = seed_markdown(run);
    CHECK(text.find("provides no measurable difference for complete training step (median 1.00x, 95% CI ")
        != std::string::npos);
    CHECK(text.find("**1.00x** median speedup") == std::string::npos);

    for (Measurement& measurement : run.measurements) {
        if (measurement.variant == "torchscript")
            measurement.variant = "py-eager";
    }
    std::replace(
        run.config.variants.begin(), run.config.variants.end(), std::string("torchscript"), std::string("py-eager"));
    const std::string python = seed_markdown(run);
    CHECK(python.find("Compiled Forward (ms)") == std::string::npos);
    CHECK(python.find("| py-eager Forward (ms) |") != std::string::npos);
    CHECK(python.find("| Compiled") == std::string::npos);
    CHECK(python.find("Full model compilation") == std::string::npos);
    CHECK(python.find("- **py-eager** (compiles nothing) provides ") != std::string::npos);
}

TEST_CASE("a note names the cells it is about and shows its text literally", "[reports][markdown]")
{
    RunResult run = testing::sample_run();
    Measurement* train = nullptr;
    for (Measurement& measurement : run.measurements) {
        if (measurement.variant == "torchscript" && measurement.phase == Phase::train_step)
            train = &measurement;
    }
    REQUIRE(train);
    train->notes.emplace_back("optimizer: AdamW as at::_fused_adamw_");
    const std::string text = full_markdown(run);
    // Escaped, so that Markdown does not read the underscores as emphasis.
    CHECK(text.find("- **torchscript**: optimizer: AdamW as at::\\_fused\\_adamw\\_ (transformer_lm train step")
        != std::string::npos);
}
