// What the sweep's workers reported so far (sweep_session.cpp), written to the journal as it comes.
#pragma once

#include "compilescope/journal.h"
#include "compilescope/rerun.h"
#include "compilescope/results.h"
#include "compilescope/sweep_plan.h"

#include <algorithm>
#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace compilescope::cli {

/// What the workers reported so far, written to the journal as it comes: what a fresh worker continues from after a
/// crash, and the reports when a worker has to be killed.
class FinishedSoFar {
public:
    /// `before`: what finished before (a resume: the journal holds it already). `rerun`: a re-run, whose request is
    /// `before` (the journal is new: `before` goes into it after the header) and whose new measurements get its note.
    FinishedSoFar(
        JournalWriter* journal, const SweepConfig& config, const RunResult* before, const RerunPlan* rerun = nullptr)
        : m_journal(journal)
        , m_plan(plan_measurements(config))
        , m_rerun(rerun)
    {
        m_run.config = config;
        if (before) {
            m_run = *before;
            m_run.measurements = continued(before->measurements);
        }
    }

    const std::vector<Measurement>& plan() const { return m_plan; }
    const std::vector<Measurement>& measurements() const { return m_run.measurements; }

    bool started() const { return m_started; }

    /// The first worker's header (config, environment, start); a later worker's start changes nothing.
    void started(const RunResult& header)
    {
        if (m_started)
            return;
        m_started = true;
        if (m_journal) {
            m_journal->started(header);
            // A re-run's journal is new: what it keeps goes in first, so that a resume of it has the whole run.
            if (m_rerun) {
                for (const Measurement& kept : m_run.measurements)
                    m_journal->measurement(kept);
            }
        }
        std::vector<Measurement> before = std::move(m_run.measurements);
        m_run = header;
        m_run.measurements = std::move(before);
    }

    void finished(const Measurement& reported)
    {
        const Measurement measurement = m_rerun ? m_rerun->marked(reported) : reported;
        if (m_journal)
            m_journal->measurement(measurement);
        m_run.measurements.push_back(measurement);
    }

    /// The run a fresh worker continues: everything that finished (a cancelled measurement did not).
    RunResult to_continue() const
    {
        RunResult run = m_run;
        run.measurements = continued(m_run.measurements);
        return run;
    }

    size_t count() const { return m_run.measurements.size(); }

    double elapsed_s() const
    {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
    }

    /// The whole run at a worker's end: every measurement reported (the worker's finished event carries none), in
    /// plan order, with the end's state (cancelled, finish time, the environment as the sweep completed it).
    RunResult whole(const RunResult& end) const
    {
        RunResult run = m_run;
        run.environment = end.environment;
        run.finished_at = end.finished_at;
        run.cancelled = end.cancelled;
        run.wall_time_s = end.wall_time_s;
        // Each measurement's place in the plan, found once: a scan inside the comparison would cost a plan's length
        // per comparison, minutes for a grid of thousands.
        std::vector<std::pair<size_t, size_t>> order; // (plan index, received index)
        for (size_t i = 0; i < run.measurements.size(); ++i) {
            const auto found = std::find_if(m_plan.begin(), m_plan.end(),
                [&](const Measurement& planned) { return same_measurement(planned, run.measurements[i]); });
            order.emplace_back(size_t(found - m_plan.begin()), i);
        }
        std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        std::vector<Measurement> sorted;
        sorted.reserve(order.size());
        for (const auto& [plan_index, received] : order)
            sorted.push_back(std::move(run.measurements[received]));
        run.measurements = std::move(sorted);
        return run;
    }

    /// The run as it stands, marked cancelled, with every planned measurement that did not finish, not started (as
    /// the sweep itself reports them); with `first_was_running`, the first of them says it was stopped while it ran.
    RunResult cancelled_copy(const std::string& why, bool first_was_running) const
    {
        RunResult run = to_continue();
        run.cancelled = true;
        bool running = first_was_running;
        for (const Measurement& planned : m_plan) {
            const bool finished = std::any_of(run.measurements.begin(), run.measurements.end(),
                [&](const Measurement& m) { return same_measurement(m, planned); });
            if (finished)
                continue;
            run.measurements.push_back(planned);
            if (running)
                run.measurements.back().message = "stopped while it ran: " + why;
            running = false;
        }
        run.wall_time_s = elapsed_s();
        return run;
    }

private:
    static std::vector<Measurement> continued(std::vector<Measurement> measurements)
    {
        measurements.erase(std::remove_if(measurements.begin(), measurements.end(),
                               [](const Measurement& m) { return m.status == MeasurementStatus::cancelled; }),
            measurements.end());
        return measurements;
    }

    JournalWriter* m_journal;
    std::vector<Measurement> m_plan;
    const RerunPlan* m_rerun;
    bool m_started = false;
    RunResult m_run;
    std::chrono::steady_clock::time_point m_start = std::chrono::steady_clock::now();
};

} // namespace compilescope::cli
