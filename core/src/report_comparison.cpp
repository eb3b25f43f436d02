// The Markdown section of a run compared with another saved run (File ▸ Compare, `report --compare`).
#include "compilescope/reports.h"

#include "compilescope/run_json.h"
#include "compilescope/text_format.h"
#include "compilescope/variant_names.h"
#include "markdown_table.h"

#include <map>

namespace compilescope {

namespace {

using run_json::Json;

bool has_median(const Measurement& measurement)
{
    return measurement.ok() && measurement.stats.n > 0 && measurement.stats.median_ms > 0;
}

std::string device_text(const RunResult& run)
{
    const Environment& environment = run.environment;
    const std::string& hardware = run.config.device == Device::cpu ? environment.cpu_model : environment.gpu_name;
    return to_string(run.config.device) + (hardware.empty() ? "" : " (" + hardware + ")");
}

std::string value_text(const Json& value)
{
    if (value.is_string())
        return value.get<std::string>().empty() ? "\"\"" : value.get<std::string>();
    if (value.is_array()) {
        std::vector<std::string> items;
        for (const Json& item : value)
            items.push_back(value_text(item));
        return join(items, ", ");
    }
    return value.dump();
}

/// The leaves of a JSON object under dotted names ("config.measure.min_time_s"); arrays stay whole values.
void collect_fields(const Json& object, const std::string& prefix, std::vector<std::pair<std::string, Json>>& fields)
{
    for (const auto& [key, value] : object.items()) {
        const std::string name = prefix + key;
        if (value.is_object())
            collect_fields(value, name + ".", fields);
        else
            fields.emplace_back(name, value);
    }
}

/// The run's settings as the run JSON writes them, so the list of fields has one home (run_json_fields.h).
std::vector<std::pair<std::string, Json>> settings_fields(const RunResult& run)
{
    std::vector<std::pair<std::string, Json>> fields;
    collect_fields(Json(run.config), "config.", fields);
    collect_fields(Json(run.environment), "environment.", fields);
    return fields;
}

std::string ratios_section(const RunResult& run, const RunResult& comparison)
{
    MarkdownTable table(
        { "Measurement", "Variant", "This run median (ms)", "Comparison median (ms)", "Comparison / this" });
    for (const Measurement& measurement : run.measurements) {
        const Measurement* other
            = find_measurement(comparison, measurement.cell, measurement.phase, measurement.variant);
        if (!other || !has_median(measurement) || !has_median(*other))
            continue;
        table.add_row({ describe(measurement.cell, measurement.phase), variant_label(measurement.variant),
            fixed(measurement.stats.median_ms, 3), fixed(other->stats.median_ms, 3),
            speedup_text(other->stats.median_ms / measurement.stats.median_ms) });
    }
    std::string text = "### Median ratios\n\n";
    if (table.empty())
        return text + "No cell x phase x variant has a median in both runs.\n\n";
    // The direction of a speedup, as the Results table's comparison column has it.
    return text + "The comparison run's median divided by this run's: above 1.00x this run is faster.\n\n"
        + table.render() + "\n";
}

std::string settings_section(const RunResult& run, const RunResult& comparison)
{
    const auto these = settings_fields(run);
    const auto others = settings_fields(comparison);
    const std::map<std::string, Json> other_values(others.begin(), others.end());
    const std::map<std::string, Json> these_values(these.begin(), these.end());

    MarkdownTable table({ "Setting", "This run", "Comparison run" });
    for (const auto& [name, value] : these) {
        const auto other = other_values.find(name);
        if (other == other_values.end())
            table.add_row({ name, value_text(value), no_value });
        else if (other->second != value)
            table.add_row({ name, value_text(value), value_text(other->second) });
    }
    for (const auto& [name, value] : others) {
        if (these_values.count(name) == 0)
            table.add_row({ name, no_value, value_text(value) });
    }
    std::string text = "### Settings that differ\n\n";
    if (table.empty())
        return text + "Every config and environment field of the run JSON is the same in both runs.\n\n";
    return text + table.render() + "\n";
}

} // namespace

std::string comparison_markdown(const RunResult& run, const RunResult& comparison, const std::string& comparison_path)
{
    std::string text = "## Comparison run\n\n";
    text += "- File: `" + (comparison_path.empty() ? std::string("(not saved)") : comparison_path) + "`\n";
    text += "- Started: " + seed_date(comparison.started_at) + " (this run: " + seed_date(run.started_at) + ")\n";
    text += "- Device: " + device_text(comparison) + " (this run: " + device_text(run) + ")\n\n";
    return text + ratios_section(run, comparison) + settings_section(run, comparison);
}

} // namespace compilescope
