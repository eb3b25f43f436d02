#include "report_analysis.h"

#include "compilescope/text_format.h"

#include "compilescope/variant_names.h"
#include "markdown_table.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace compilescope {

namespace {

// Lists in a bullet stop after this many items ("and N more"), so a large sweep keeps a readable summary.
constexpr size_t max_listed = 5;

struct Scored {
    const Measurement* measurement;
    Speedup speedup;
};

std::string plural(size_t count, const std::string& word)
{
    return std::to_string(count) + " " + word + (count == 1 ? "" : "s");
}

/// "a, b, c and 2 more" from the first max_listed items.
std::string listing(const std::vector<std::string>& items)
{
    std::vector<std::string> shown(
        items.begin(), items.begin() + static_cast<long>(std::min(items.size(), max_listed)));
    std::string text = join(shown, "; ");
    if (items.size() > max_listed)
        text += "; and " + std::to_string(items.size() - max_listed) + " more";
    return text;
}

std::vector<Scored> speedups_of(const RunResult& run, const std::string& variant)
{
    std::vector<Scored> scored;
    for (const Measurement& measurement : run.measurements) {
        if (measurement.variant != variant)
            continue;
        const auto ratio = speedup_over_baseline(run, measurement);
        if (ratio && std::isfinite(ratio->mean))
            scored.push_back({ &measurement, *ratio });
    }
    return scored;
}

double geometric_mean(const std::vector<double>& ratios)
{
    double log_sum = 0;
    for (double ratio : ratios)
        log_sum += std::log(ratio);
    return std::exp(log_sum / static_cast<double>(ratios.size()));
}

/// "**Attention compilation** (torch-compile)", or "**py-eager** (compiles nothing)": a variant that compiles nothing
/// is not called a compilation.
std::string subject(const std::string& variant, const std::string& compilation)
{
    return variant_traits(variant).compiles ? "**" + compilation + "** (" + variant + ")"
                                            : "**" + variant + "** (compiles nothing)";
}

/// Whether the median ratio's interval holds 1.0x: then the data cannot tell the two apart.
bool no_measurable_difference(const Speedup& speedup)
{
    return std::isfinite(speedup.ci_low) && speedup.ci_low <= 1.0 && speedup.ci_high >= 1.0;
}

/// Whether a speedup may make a headline: only one whose interval counts (too few samples, or samples on the
/// scheduler's time-slice grid, make none; docs/statistics.md).
bool interval_counts(const Speedup& speedup)
{
    return speedup.interval == IntervalVerdict::counts;
}

/// "too few samples", or "too few samples, time-slice grid": why the entries' intervals do not count.
std::string withheld_reasons(const std::vector<const Scored*>& withheld)
{
    std::vector<std::string> reasons;
    for (const Scored* entry : withheld) {
        const std::string reason = no_interval_text(entry->speedup.interval);
        if (std::find(reasons.begin(), reasons.end(), reason) == reasons.end())
            reasons.push_back(reason);
    }
    return join(reasons, ", ");
}

std::string attention_averages(const std::string& variant, const std::vector<Scored>& scored)
{
    std::vector<std::string> parts;
    std::vector<std::string> without;
    size_t withheld_cells = 0;
    std::vector<const Scored*> all_withheld;
    for (Phase phase : phases_of(Workload::attention)) {
        std::vector<double> ratios;
        std::vector<const Scored*> withheld;
        for (const Scored& entry : scored) {
            if (entry.measurement->cell.workload != Workload::attention || entry.measurement->phase != phase)
                continue;
            if (interval_counts(entry.speedup))
                ratios.push_back(entry.speedup.median);
            else
                withheld.push_back(&entry);
        }
        const std::string left_out = withheld.empty()
            ? std::string()
            : "; " + std::to_string(withheld.size()) + " left out: " + withheld_reasons(withheld);
        if (!ratios.empty())
            parts.push_back("**" + speedup_text(geometric_mean(ratios)) + "** for " + phase_words(phase) + " pass ("
                + plural(ratios.size(), "cell") + left_out + ")");
        else if (!withheld.empty())
            without.push_back(phase_words(phase) + " pass");
        withheld_cells += withheld.size();
        all_withheld.insert(all_withheld.end(), withheld.begin(), withheld.end());
    }
    if (parts.empty() && without.empty())
        return {};
    if (parts.empty())
        return "- " + subject(variant, "Attention compilation") + ": no median speedup to report; none of its "
            + plural(withheld_cells, "attention measurement") + " has an interval that counts ("
            + withheld_reasons(all_withheld) + ")";
    std::string text = join(std::vector<std::string>(parts.begin(), parts.end() - 1), ", ");
    text += (parts.size() > 1 ? " and " : "") + parts.back();
    if (!without.empty())
        text += "; none for the " + join(without, ", ") + " (no cell with an interval that counts)";
    return "- " + subject(variant, "Attention compilation")
        + " provides a median speedup (geometric mean over cells of the ratio of medians) of " + text;
}

std::string model_speedup(const std::string& variant, const std::vector<Scored>& scored)
{
    const Scored* train = nullptr;
    const Scored* forward = nullptr;
    for (const Scored& entry : scored) {
        if (entry.measurement->cell.workload != Workload::transformer_lm)
            continue;
        if (entry.measurement->phase == Phase::train_step)
            train = &entry;
        else if (entry.measurement->phase == Phase::forward)
            forward = &entry;
    }
    if (train == nullptr && forward == nullptr)
        return {};
    // An interval that does not count, or that holds 1.0x, is no speedup, whatever the median says: nothing in bold.
    const auto no_verdict = [](const Scored& entry, const std::string& what) {
        return "no verdict for " + what + " (median " + speedup_text(entry.speedup.median) + "; "
            + no_interval_reason(entry.speedup.interval) + ")";
    };
    std::string text = "- " + subject(variant, "Full model compilation") + " provides ";
    if (train != nullptr && !interval_counts(train->speedup)) {
        text += no_verdict(*train, "complete training step");
        if (forward != nullptr)
            text += " and ";
    } else if (train != nullptr && no_measurable_difference(train->speedup)) {
        text += "no measurable difference for complete training step (median " + speedup_text(train->speedup.median)
            + ", 95% CI " + interval_text(train->speedup.ci_low, train->speedup.ci_high) + ")";
        if (forward != nullptr)
            text += " and ";
    } else if (train != nullptr) {
        text += "**" + speedup_text(train->speedup.median) + "** median speedup for complete training step";
        text += " (95% CI " + interval_text(train->speedup.ci_low, train->speedup.ci_high) + ")";
        if (forward != nullptr)
            text += " and ";
    }
    if (forward != nullptr && !interval_counts(forward->speedup))
        text += no_verdict(*forward, "the forward pass alone");
    else if (forward != nullptr && no_measurable_difference(forward->speedup))
        text += "no measurable difference for the forward pass alone (median " + speedup_text(forward->speedup.median)
            + ", 95% CI " + interval_text(forward->speedup.ci_low, forward->speedup.ci_high) + ")";
    else if (forward != nullptr)
        text += "**" + speedup_text(forward->speedup.median) + "** for the forward pass alone";
    return text;
}

std::string best_and_worst(const std::string& variant, const std::vector<Scored>& scored)
{
    std::vector<const Scored*> attention; // the cells whose intervals count: a best cell is a headline too
    for (const Scored& entry : scored) {
        if (entry.measurement->cell.workload == Workload::attention && interval_counts(entry.speedup))
            attention.push_back(&entry);
    }
    if (attention.size() < 2)
        return {};
    const auto [worst, best] = std::minmax_element(attention.begin(), attention.end(),
        [](const Scored* a, const Scored* b) { return a->speedup.median < b->speedup.median; });
    auto where = [](const Scored* entry) {
        return "**" + speedup_text(entry->speedup.median) + "** ("
            + describe(entry->measurement->cell, entry->measurement->phase) + ")";
    };
    return "- Best attention cell for " + variant + ": " + where(*best) + "; worst: " + where(*worst);
}

std::string wins_and_losses(const RunResult& run, const std::string& variant, const std::vector<Scored>& scored)
{
    size_t faster = 0;
    size_t clearly_faster = 0;
    std::vector<const Scored*> slower;
    std::vector<const Scored*> clearly_slower;
    std::vector<const Scored*> withheld;
    for (const Scored& entry : scored) {
        if (!interval_counts(entry.speedup))
            withheld.push_back(&entry);
        if (entry.speedup.median > 1.0) {
            ++faster;
            clearly_faster += entry.speedup.ci_low > 1.0 ? 1 : 0;
        } else if (entry.speedup.median < 1.0) {
            slower.push_back(&entry);
            if (entry.speedup.ci_high < 1.0)
                clearly_slower.push_back(&entry);
        }
    }
    std::stable_sort(clearly_slower.begin(), clearly_slower.end(),
        [](const Scored* a, const Scored* b) { return a->speedup.median < b->speedup.median; });

    std::string text = "- " + variant + " against " + speedup_baseline(run) + " over "
        + plural(scored.size(), "measurement") + ": faster in " + std::to_string(faster) + " (95% CI above 1.00x in "
        + std::to_string(clearly_faster) + "), slower in " + std::to_string(slower.size()) + " (95% CI below 1.00x in "
        + std::to_string(clearly_slower.size()) + ")";
    if (!withheld.empty())
        text += ", no interval for " + std::to_string(withheld.size()) + " (" + withheld_reasons(withheld) + ")";
    if (!clearly_slower.empty()) {
        std::vector<std::string> items;
        for (const Scored* entry : clearly_slower)
            items.push_back(describe(entry->measurement->cell, entry->measurement->phase) + " ("
                + speedup_text(entry->speedup.median) + ", CI "
                + interval_text(entry->speedup.ci_low, entry->speedup.ci_high) + ")");
        text += "; clearly slower at: " + listing(items);
    }
    return text;
}

std::string one_time_costs(const RunResult& run, const std::string& variant)
{
    std::vector<double> compile;
    std::vector<double> first_call;
    for (const Measurement& measurement : run.measurements) {
        if (measurement.variant != variant)
            continue;
        if (measurement.compile_ms)
            compile.push_back(*measurement.compile_ms);
        if (measurement.first_call_ms)
            first_call.push_back(*measurement.first_call_ms);
    }
    auto mean_and_max = [](const std::vector<double>& values) {
        double sum = 0;
        for (double value : values)
            sum += value;
        return fixed(sum / static_cast<double>(values.size()), 1) + " ms on average (max "
            + fixed(*std::max_element(values.begin(), values.end()), 1) + " ms)";
    };
    std::vector<std::string> parts;
    if (!compile.empty())
        parts.push_back("compile " + mean_and_max(compile));
    if (!first_call.empty())
        parts.push_back("first call " + mean_and_max(first_call));
    if (parts.empty())
        return {};
    return "- One-time cost of " + variant + ", kept out of the timings above: " + join(parts, ", ");
}

std::string noisy_measurements(const RunResult& run)
{
    size_t timed = 0;
    std::vector<const Measurement*> noisy;
    for (const Measurement& measurement : run.measurements) {
        if (!measurement.ok() || measurement.stats.n == 0)
            continue;
        ++timed;
        if (is_noisy(measurement, run.config.measure))
            noisy.push_back(&measurement);
    }
    if (timed == 0)
        return {};
    const std::string threshold = percent(run.config.measure.noise_cv_threshold);
    if (noisy.empty())
        return "- No measurement is noisy: every coefficient of variation is at most " + threshold;
    std::stable_sort(noisy.begin(), noisy.end(),
        [](const Measurement* a, const Measurement* b) { return a->stats.cv > b->stats.cv; });
    std::vector<std::string> items;
    for (const Measurement* measurement : noisy)
        items.push_back(measurement->variant + " " + describe(measurement->cell, measurement->phase) + " (CV "
            + percent(measurement->stats.cv) + ")");
    return "- " + std::to_string(noisy.size()) + " of " + plural(timed, "measurement")
        + (noisy.size() == 1 ? " is" : " are") + " noisy (coefficient of variation above " + threshold
        + "): " + listing(items);
}

/// The measurements whose own samples give no interval, by reason: each is named, since its speedups make no
/// headline above.
std::vector<std::string> withheld_measurements(const RunResult& run)
{
    size_t timed = 0;
    std::vector<std::string> too_few;
    std::vector<std::string> on_grid;
    for (const Measurement& measurement : run.measurements) {
        if (!measurement.ok() || measurement.stats.n == 0)
            continue;
        ++timed;
        const std::string name = measurement.variant + " " + describe(measurement.cell, measurement.phase);
        switch (interval_verdict(measurement)) {
        case IntervalVerdict::counts:
            break;
        case IntervalVerdict::too_few_samples:
            too_few.push_back(name + " (" + plural(static_cast<size_t>(measurement.stats.n), "sample") + ")");
            break;
        case IntervalVerdict::time_slice_grid:
            on_grid.push_back(name + " (" + time_slice_text(time_slice_grid(measurement.samples_ms)->step_ms) + ")");
            break;
        }
    }
    std::vector<std::string> bullets;
    if (!too_few.empty())
        bullets.push_back("- " + std::to_string(too_few.size()) + " of " + plural(timed, "measurement")
            + (too_few.size() == 1 ? " has" : " have") + " fewer than " + std::to_string(min_samples_for_interval)
            + " samples, too few for an interval: no speedup they are a side of has one or makes a headline: "
            + listing(too_few));
    if (!on_grid.empty())
        bullets.push_back("- " + std::to_string(on_grid.size()) + " of " + plural(timed, "measurement")
            + (on_grid.size() == 1 ? " was" : " were")
            + " timed on the scheduler's time-slice grid, the process waiting for the CPU (see the notes): no "
              "speedup they are a side of has an interval or makes a headline: "
            + listing(on_grid));
    return bullets;
}

std::vector<std::string> problems(const RunResult& run)
{
    std::map<MeasurementStatus, std::vector<std::string>> by_status;
    for (const Measurement& measurement : run.measurements) {
        if (measurement.ok())
            continue;
        std::string item = measurement.variant + " " + describe(measurement.cell, measurement.phase);
        if (!measurement.message.empty())
            item += ": " + measurement.message;
        by_status[measurement.status].push_back(item);
    }
    std::vector<std::string> bullets;
    if (by_status.empty() && !run.measurements.empty())
        bullets.push_back("- All " + plural(run.measurements.size(), "measurement") + " completed with status ok");
    for (const auto& [status, items] : by_status) {
        // Unavailable and cancelled measurements share one reason each, given once instead of per measurement.
        if (status == MeasurementStatus::unavailable)
            bullets.push_back("- " + std::to_string(items.size()) + " unavailable (see Compilation support above)");
        else if (status != MeasurementStatus::cancelled)
            bullets.push_back("- " + std::to_string(items.size()) + " " + to_string(status) + ": " + listing(items));
    }
    if (run.cancelled || by_status.count(MeasurementStatus::cancelled) > 0) {
        const size_t unfinished
            = by_status.count(MeasurementStatus::cancelled) > 0 ? by_status.at(MeasurementStatus::cancelled).size() : 0;
        bullets.push_back("- The run was cancelled: the tables hold only the measurements that finished"
            + (unfinished > 0 ? " (" + plural(unfinished, "measurement") + " did not)" : std::string()));
    }
    return bullets;
}

} // namespace

std::vector<std::string> compared_variants(const RunResult& run)
{
    std::vector<std::string> variants = variants_in(run);
    variants.erase(std::remove(variants.begin(), variants.end(), speedup_baseline(run)), variants.end());
    return variants;
}

std::vector<std::string> compilation_support(const RunResult& run)
{
    std::vector<std::string> bullets;
    const std::vector<std::string> variants = compared_variants(run);
    if (run.measurements.empty())
        bullets.emplace_back("- No measurement finished");
    else if (variants.empty())
        bullets.emplace_back("- Only eager ran: there is no compiled variant to compare");
    for (const std::string& variant : variants) {
        std::map<MeasurementStatus, size_t> counts;
        std::vector<std::string> notes;
        std::vector<std::string> reasons;
        size_t total = 0;
        for (const Measurement& measurement : run.measurements) {
            if (measurement.variant != variant)
                continue;
            ++total;
            ++counts[measurement.status];
            for (const std::string& note : measurement.notes) {
                if (std::find(notes.begin(), notes.end(), note) == notes.end())
                    notes.push_back(note);
            }
            if (measurement.status == MeasurementStatus::unavailable && !measurement.message.empty()
                && std::find(reasons.begin(), reasons.end(), measurement.message) == reasons.end())
                reasons.push_back(measurement.message);
        }
        std::string bullet = "- **" + variant + "**: ";
        if (counts[MeasurementStatus::unavailable] == total) {
            bullet += "unavailable" + (reasons.empty() ? std::string() : ": " + join(reasons, "; "));
        } else {
            std::vector<std::string> parts { std::to_string(counts[MeasurementStatus::ok]) + " of "
                + plural(total, "measurement") + " ok" };
            for (const auto& [status, count] : counts) {
                if (status != MeasurementStatus::ok && count > 0)
                    parts.push_back(std::to_string(count) + " " + to_string(status));
            }
            bullet += "ran; " + join(parts, ", ");
        }
        for (const std::string& note : notes)
            bullet += "\n  - " + markdown_text(note);
        bullets.push_back(bullet);
    }
    if (run.config.device == Device::cpu
        && std::any_of(variants.begin(), variants.end(),
            [](const std::string& variant) { return variant_traits(variant).torchscript; }))
        bullets.push_back(std::string("- TorchScript CPU fusion (NNC needs a LibTorch built with LLVM): ")
            + (run.environment.torchscript_cpu_fusion ? "available in this build" : "not available in this build"));
    return bullets;
}

std::vector<std::string> key_observations(const RunResult& run)
{
    std::vector<std::string> bullets;
    auto add = [&bullets](std::string bullet) {
        if (!bullet.empty())
            bullets.push_back(std::move(bullet));
    };
    for (const std::string& variant : compared_variants(run)) {
        const std::vector<Scored> scored = speedups_of(run, variant);
        if (!scored.empty()) {
            add(attention_averages(variant, scored));
            add(model_speedup(variant, scored));
            add(best_and_worst(variant, scored));
            add(wins_and_losses(run, variant, scored));
        }
        add(one_time_costs(run, variant));
    }
    add(noisy_measurements(run));
    for (std::string& bullet : withheld_measurements(run))
        add(std::move(bullet));
    for (std::string& bullet : problems(run))
        add(std::move(bullet));
    return bullets;
}

} // namespace compilescope
