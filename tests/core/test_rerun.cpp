// What a re-run measures again, what it keeps, and how its outcome goes into the run (compilescope/rerun.h).
#include "sample_run.h"

#include "compilescope/reports.h"
#include "compilescope/rerun.h"
#include "compilescope/run_json.h"
#include "compilescope/text_format.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>

using namespace compilescope;

namespace {

MachineLoad busy_load()
{
    MachineLoad load;
    load.others_cpu_share = 0.5;
    load.cpus = 2;
    load.window_s = 1.0;
    load.involuntary_switches_per_s = 300;
    return load;
}

MachineLoad calm_load()
{
    MachineLoad load = busy_load();
    load.others_cpu_share = 0.01;
    return load;
}

bool in_group(const Measurement& m, const CellKey& cell, Phase phase)
{
    return m.cell == cell && m.phase == phase;
}

/// The sample run with every measurement's load read, the torchscript of one cell's forward taken under load.
RunResult run_with_one_marked(const CellKey& cell, Phase phase)
{
    RunResult run = testing::sample_run();
    for (Measurement& m : run.measurements)
        m.load = in_group(m, cell, phase) && m.variant == "torchscript" ? busy_load() : calm_load();
    return run;
}

/// What a sweep of `plan.request()` reports: every measurement it lacks, timed anew (10% faster, so that a test can
/// tell them apart), or cancelled where `cancelled` says.
RunResult sweep_of(
    const RerunPlan& plan, const RunResult& before,
    const std::function<bool(const Measurement&)>& cancelled = [](const Measurement&) { return false; })
{
    RunResult outcome = plan.request();
    outcome.finished_at = "2026-12-08T10:00:00+01:00";
    for (const Measurement& old : before.measurements) {
        if (find_measurement(plan.request(), old.cell, old.phase, old.variant))
            continue;
        Measurement fresh = old;
        fresh.status = MeasurementStatus::ok;
        fresh.message.clear();
        fresh.notes.clear();
        fresh.load = calm_load();
        for (double& sample : fresh.samples_ms)
            sample *= 0.9;
        fresh.stats = summarize(fresh.samples_ms);
        if (cancelled(fresh)) {
            fresh.status = MeasurementStatus::cancelled;
            fresh.message = "not started: the sweep was cancelled";
        }
        outcome.measurements.push_back(fresh);
    }
    return outcome;
}

std::string as_json(const Measurement& m)
{
    return run_json::dump(run_json::Json(m));
}

} // namespace

TEST_CASE("a re-run measures again every variant of a cell and phase taken under load, and nothing else", "[rerun]")
{
    const CellKey cell { Workload::attention, 8, 64, 1024 };
    const RunResult run = run_with_one_marked(cell, Phase::backward);
    CHECK(marked_measurements(run, {}) == 1);

    const RerunPlan plan(run, {});
    REQUIRE_FALSE(plan.empty());
    CHECK(plan.marked() == 1);
    CHECK(plan.marked_groups() == 1);
    CHECK(plan.remeasured() == 2); // eager beside it: the two were timed in turns
    CHECK(plan.unfinished() == 0);
    CHECK(plan.request().measurements.size() == run.measurements.size() - 2);
    for (const Measurement& m : plan.request().measurements)
        CHECK_FALSE(in_group(m, cell, Phase::backward));
    // The request is a continuation of the run itself.
    CHECK(plan.request().config.variants == run.config.variants);
    CHECK(plan.request().started_at == run.started_at);
}

TEST_CASE("a run with nothing marked has nothing to re-run", "[rerun]")
{
    RunResult run = testing::sample_run();
    for (Measurement& m : run.measurements)
        m.load = calm_load();
    const RerunPlan plan(run, {});
    CHECK(plan.empty());
    CHECK(plan.marked() == 0);
    CHECK(plan.request().measurements.size() == run.measurements.size());
    CHECK(marked_measurements(run, {}) == 0);
}

TEST_CASE("a failed measurement is kept unless the re-run asks for the failed ones", "[rerun]")
{
    RunResult run = testing::sample_run_with_problems();
    const auto failed = std::find_if(run.measurements.begin(), run.measurements.end(),
        [](const Measurement& m) { return m.status == MeasurementStatus::failed; });
    REQUIRE(failed != run.measurements.end());
    const CellKey cell = failed->cell;
    const Phase phase = failed->phase;
    for (Measurement& m : run.measurements) {
        if (in_group(m, cell, phase) && m.variant == "eager")
            m.load = busy_load();
    }

    SECTION("under load only: the group runs, its failed measurement is reported as it was")
    {
        const RerunPlan plan(run, {});
        CHECK(plan.marked_groups() == 1);
        CHECK(find_measurement(plan.request(), cell, phase, "torchscript") != nullptr);
        CHECK(find_measurement(plan.request(), cell, phase, "eager") == nullptr);
    }
    SECTION("with the failed ones: it is measured again too, and a group with only a failure is chosen")
    {
        RerunSelection selection;
        selection.failed = true;
        const RerunPlan plan(run, selection);
        CHECK(find_measurement(plan.request(), cell, phase, "torchscript") == nullptr);
        CHECK(plan.marked() == marked_measurements(run, selection));
        RerunSelection failed_only;
        failed_only.under_load = false;
        failed_only.failed = true;
        CHECK(RerunPlan(run, failed_only).marked_groups() == 2); // the sample has two failures
    }
}

TEST_CASE("the re-run's outcome replaces its groups and keeps every other measurement as it was", "[rerun]")
{
    const CellKey cell { Workload::attention, 8, 16, 256 };
    const RunResult run = run_with_one_marked(cell, Phase::forward);
    const RerunPlan plan(run, {});
    const RunResult merged = plan.merged(sweep_of(plan, run));

    REQUIRE(merged.measurements.size() == run.measurements.size());
    CHECK(merged.finished_at == "2026-12-08T10:00:00+01:00");
    for (size_t i = 0; i < run.measurements.size(); ++i) {
        const Measurement& before = run.measurements[i];
        const Measurement& after = merged.measurements[i];
        REQUIRE(same_measurement(before, after)); // in the run's order
        INFO(measurement_label(before));
        if (in_group(before, cell, Phase::forward)) {
            CHECK(after.stats.median_ms < before.stats.median_ms);
            CHECK(was_rerun(after));
            CHECK_FALSE(taken_under_load(after));
            CHECK(std::count(after.notes.begin(), after.notes.end(),
                      std::string(rerun_note_prefix) + "its cell and phase had a measurement taken under load")
                == 1);
        } else {
            CHECK(as_json(after) == as_json(before));
        }
    }
    // Marking twice adds nothing.
    const Measurement& fresh = merged.measurements.front();
    CHECK(plan.marked(fresh).notes == fresh.notes);
}

TEST_CASE("a stopped re-run keeps the old measurements of every group it did not finish", "[rerun]")
{
    RunResult run = testing::sample_run();
    for (Measurement& m : run.measurements)
        m.load = m.variant == "torchscript" && m.phase == Phase::forward ? busy_load() : calm_load();
    const RerunPlan plan(run, {});
    REQUIRE(plan.marked_groups() == 5); // four attention cells and the model
    // The sweep finished the first groups; of the d_model 64 seq_len 1024 forward it finished eager only.
    const RunResult outcome = sweep_of(plan, run, [](const Measurement& m) {
        return m.cell.d_model >= 64
            && (m.cell.seq_len == 1024 ? m.variant != "eager" : m.cell.workload != Workload::attention);
    });
    RunResult stopped = outcome;
    stopped.cancelled = true;
    const RunResult merged = plan.merged(stopped);
    CHECK(merged.cancelled);
    REQUIRE(merged.measurements.size() == run.measurements.size());
    for (size_t i = 0; i < run.measurements.size(); ++i) {
        const Measurement& before = run.measurements[i];
        const Measurement& after = merged.measurements[i];
        INFO(measurement_label(before));
        const bool group_finished = before.phase != Phase::forward
            || (before.cell.workload == Workload::attention
                && !(before.cell.d_model == 64 && before.cell.seq_len == 1024));
        if (before.phase == Phase::forward && group_finished)
            CHECK(was_rerun(after));
        else
            CHECK(as_json(after) == as_json(before)); // no group mixes two spans of time
    }
}

TEST_CASE("a re-run of a cancelled run measures what it did not finish too, without the re-run note", "[rerun]")
{
    RunResult run = testing::sample_run();
    for (Measurement& m : run.measurements)
        m.load = calm_load();
    // The model's train step never started.
    run.cancelled = true;
    for (Measurement& m : run.measurements) {
        if (m.cell.workload == Workload::transformer_lm && m.phase == Phase::train_step) {
            m.status = MeasurementStatus::cancelled;
            m.message = "not started: the sweep was cancelled";
        }
    }
    const RerunPlan plan(run, {});
    CHECK(plan.marked() == 0);
    CHECK(plan.unfinished() == 2);
    CHECK_FALSE(plan.empty());
    RunResult outcome = sweep_of(plan, run);
    outcome.cancelled = false;
    const RunResult merged = plan.merged(outcome);
    CHECK_FALSE(merged.cancelled);
    REQUIRE(merged.measurements.size() == run.measurements.size());
    for (const Measurement& m : merged.measurements) {
        CHECK(m.status == MeasurementStatus::ok);
        CHECK_FALSE(was_rerun(m));
    }
}

TEST_CASE("the report counts the measurements taken under load and those re-run", "[rerun][reports]")
{
    const CellKey cell { Workload::attention, 8, 16, 256 };
    RunResult run = run_with_one_marked(cell, Phase::forward);
    CHECK(full_markdown(run).find("ok; 1 taken under load") != std::string::npos);
    const RerunPlan plan(run, {});
    run = plan.merged(sweep_of(plan, run));
    CHECK(full_markdown(run).find("ok; 2 re-run") != std::string::npos);
}
