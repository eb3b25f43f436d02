// The time left of a running sweep (issue 25 item 4): synthetic estimates and made-up clocks, so that what is checked
// is the arithmetic, not this machine's speed.
#include "compilescope/eta_calibration.h"

#include <catch2/catch.hpp>

#include <string>

using namespace compilescope;

namespace {

CellKey cell(int64_t d_model)
{
    return CellKey { Workload::attention, 8, d_model, 256 };
}

/// Two exports of 10 s each, then `groups` phases of two variants: eager (`work_s` each) and torch.compile (the same
/// work and a 5 s compile).
RunEstimate made_up_estimate(int groups, double work_s)
{
    RunEstimate estimate;
    estimate.exports = 2;
    estimate.export_each_s = 10;
    estimate.export_s = 20;
    for (int group = 0; group < groups; ++group) {
        estimate.plan.push_back({ cell(group), Phase::forward, "eager", group, false, work_s, 0 });
        estimate.plan.push_back({ cell(group), Phase::forward, "torch-compile", group, true, work_s, 5 });
        estimate.measuring_s += 2 * work_s;
        estimate.compile_s += 5;
    }
    estimate.measurements = int(estimate.plan.size());
    estimate.seconds = estimate.export_s + estimate.compile_s + estimate.measuring_s;
    return estimate;
}

/// Finishes group `group` at `now_s`: both variants ran, torch.compile's compile took `compile_s`.
void finish_group(EtaCalibration& eta, int group, double compile_s, double now_s)
{
    eta.finished(cell(group), Phase::forward, "eager", true, 0, now_s);
    eta.finished(cell(group), Phase::forward, "torch-compile", true, compile_s, now_s);
}

} // namespace

TEST_CASE("before anything finished, the time left is the estimate", "[estimate][eta]")
{
    const RunEstimate estimate = made_up_estimate(10, 2);
    const EtaCalibration eta(estimate);
    CHECK(eta.remaining_s(0) == Approx(estimate.seconds));
    CHECK(eta.export_pace() == 1);
    CHECK(eta.measuring_pace() == 1);
    CHECK(eta.one_off_pace() == 1);
}

TEST_CASE("a slow export slows the exports and the compiles, not the measurements", "[estimate][eta]")
{
    // Issue 25: four minutes of exports, then five small measurements, read "89 h left".
    const RunEstimate estimate = made_up_estimate(10, 2);
    EtaCalibration eta(estimate);
    eta.exports_started(0);
    eta.exports_progress(1, 40); // four times the 10 s estimated
    CHECK(eta.export_pace() > 2);
    CHECK(eta.export_pace() < 4); // one export's worth of prior still holds it back
    const double left_during_exports = eta.remaining_s(40);
    CHECK(left_during_exports > estimate.seconds - 20); // the other export will be slow too
    eta.exports_progress(2, 80);
    eta.measuring_started(80);
    CHECK(eta.one_off_pace() == Approx(eta.export_pace())); // Inductor is slow on this machine
    CHECK(eta.measuring_pace() == 1);

    // The first group at the estimated pace: work 4 s and a 5 s compile that took 15 s (as the exports foretold).
    finish_group(eta, 0, 15, 80 + 4 + 15);
    CHECK(eta.measuring_pace() == Approx(1));
    const double left = eta.remaining_s(80 + 4 + 15);
    const double measuring_left = 9 * 2 * 2;
    CHECK(left > measuring_left + 9 * 5); // the compiles keep a slow pace
    CHECK(left < measuring_left + 9 * 5 * 4); // and the measurements none of the exports' delay
}

TEST_CASE("measurements twice as slow as estimated double what is left of them", "[estimate][eta]")
{
    const RunEstimate estimate = made_up_estimate(100, 1);
    EtaCalibration eta(estimate);
    eta.measuring_started(0); // no exports (the cache had them)
    double now = 0;
    for (int group = 0; group < 50; ++group) {
        now += 2 * 2 + 5; // both variants' 1 s of work, twice as slow; the compile as estimated
        finish_group(eta, group, 5, now);
    }
    CHECK(eta.measuring_pace() == Approx(2).epsilon(0.15));
    CHECK(eta.one_off_pace() == Approx(1));
    CHECK(eta.remaining_s(now) == Approx(50 * (2 * 2 + 5)).epsilon(0.1));
}

TEST_CASE("a compile that overruns counts as compile, not as slow measuring", "[estimate][eta]")
{
    const RunEstimate estimate = made_up_estimate(10, 2);
    EtaCalibration eta(estimate);
    eta.measuring_started(0);
    finish_group(eta, 0, 60, 4 + 60); // a 60 s compile where 5 s were estimated, the work as estimated
    CHECK(eta.measuring_pace() == Approx(1));
    CHECK(eta.one_off_pace() > 2);
}

TEST_CASE("a compile time the estimate has no one-off work for is not this sweep's compile", "[estimate][eta]")
{
    const RunEstimate estimate = made_up_estimate(10, 2);
    EtaCalibration eta(estimate);
    eta.measuring_started(0);
    // eager carries an AOTInductor-like compile_ms of 30 s, made by an export before the measuring.
    eta.finished(cell(0), Phase::forward, "eager", true, 30, 2);
    eta.finished(cell(0), Phase::forward, "torch-compile", true, 5, 9);
    CHECK(eta.measuring_pace() == Approx(1));
    CHECK(eta.one_off_pace() == Approx(1));
}

TEST_CASE("the part under way counts down, and an overrun holds the rest rather than going negative", "[estimate][eta]")
{
    const RunEstimate estimate = made_up_estimate(3, 10);
    EtaCalibration eta(estimate);
    eta.measuring_started(0);
    finish_group(eta, 0, 5, 25); // as estimated: 2 x 10 s of work and the 5 s compile
    const double at_finish = eta.remaining_s(25);
    CHECK(at_finish == Approx(2 * 25).epsilon(0.05));
    // Under way: group 1's C++ variant (10 s). Its Python variant (15 s) and group 2 (25 s) come after it.
    CHECK(eta.remaining_s(30) == Approx(at_finish - 5));
    CHECK(eta.remaining_s(1000) == Approx(15 + 25)); // were it to overrun, what comes after it is still to come
    eta.finished(cell(1), Phase::forward, "eager", true, 0, 35); // it took its 10 s
    CHECK(eta.remaining_s(40) == Approx(at_finish - 10 - 5).epsilon(0.05)); // the Python variant, 5 s in
    CHECK(eta.remaining_s(1e9) >= 0);
}

TEST_CASE("measurements that did not run take nothing off the pace, and what is done is done", "[estimate][eta]")
{
    const RunEstimate estimate = made_up_estimate(4, 10);
    EtaCalibration eta(estimate);
    eta.measuring_started(0);
    // A resume: the first two groups finished before, unavailable or from the journal.
    for (int group = 0; group < 2; ++group) {
        eta.finished(cell(group), Phase::forward, "eager", false, 0, 0.1);
        eta.finished(cell(group), Phase::forward, "torch-compile", false, 0, 0.1);
    }
    CHECK(eta.measuring_pace() == Approx(1).epsilon(0.02));
    CHECK(eta.remaining_s(0.1) == Approx(2 * 25).epsilon(0.02));
    // A measurement the estimate does not know (a newer variant) changes nothing.
    eta.finished(cell(3), Phase::backward, "eager", true, 0, 0.2);
    CHECK(eta.remaining_s(0.2) == Approx(2 * 25).epsilon(0.03));
}

TEST_CASE("an odd first measurement cannot make a nonsense figure", "[estimate][eta]")
{
    const RunEstimate estimate = made_up_estimate(100, 0.01);
    EtaCalibration eta(estimate);
    eta.measuring_started(0);
    finish_group(eta, 0, 0, 600); // ten minutes for what should take 20 ms
    // The pace is bounded (20x), and the rest is never more than that many times its estimate.
    CHECK(eta.measuring_pace() <= 20);
    CHECK(eta.remaining_s(600) <= 20 * estimate.seconds);
}
