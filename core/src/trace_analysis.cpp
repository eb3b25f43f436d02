#include "compilescope/trace_analysis.h"

#include "compilescope/text_format.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <stdexcept>

namespace compilescope {

namespace {

struct TraceEvent {
    std::string name;
    double begin_us = 0;
    double end_us = 0;
    int64_t thread = 0;
    bool launch = true; ///< false for the GPU's copies and memsets: busy time, but no kernel launched
};

/// Longest kernel names (C++ templates) are cut to this many characters, with an ellipsis.
constexpr size_t max_name_length = 96;

bool counts_on(Device device, const std::string& category)
{
    if (device == Device::cuda) {
        return category == "kernel" || category == "gpu_memcpy" || category == "gpu_memset";
    }
    return category == "cpu_op";
}

int64_t thread_of(const nlohmann::json& event)
{
    const auto tid = event.find("tid");
    if (tid == event.end()) {
        return 0;
    }
    return tid->is_number() ? tid->get<int64_t>() : int64_t(std::hash<std::string>()(tid->dump()));
}

/// The total length of the union of intervals, each clipped to [begin, end].
double union_length(std::vector<TraceEvent> events, double begin, double end)
{
    std::sort(
        events.begin(), events.end(), [](const TraceEvent& a, const TraceEvent& b) { return a.begin_us < b.begin_us; });
    double total = 0;
    double covered_to = begin;
    for (const TraceEvent& event : events) {
        const double from = std::max(event.begin_us, covered_to);
        const double to = std::min(event.end_us, end);
        if (to > from) {
            total += to - from;
            covered_to = to;
        }
    }
    return total;
}

/// CPU: the operators no other operator of the same thread encloses (what user code called, not what they call).
std::vector<TraceEvent> outermost(std::vector<TraceEvent> events)
{
    std::sort(events.begin(), events.end(), [](const TraceEvent& a, const TraceEvent& b) {
        return a.thread != b.thread ? a.thread < b.thread : a.begin_us < b.begin_us;
    });
    std::vector<TraceEvent> kept;
    for (const TraceEvent& event : events) {
        if (kept.empty() || kept.back().thread != event.thread || event.begin_us >= kept.back().end_us) {
            kept.push_back(event);
        }
    }
    return kept;
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    const size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

} // namespace

ProfileSummary summarize_trace(const std::string& trace_json, Device device, double measured_ms)
{
    const nlohmann::json trace = nlohmann::json::parse(trace_json, nullptr, false);
    if (trace.is_discarded() || !trace.is_object() || !trace.contains("traceEvents")
        || !trace["traceEvents"].is_array()) {
        throw std::runtime_error("the profiler's trace is not a Chrome trace (no traceEvents array)");
    }
    std::vector<TraceEvent> steps;
    std::vector<TraceEvent> work;
    for (const nlohmann::json& event : trace["traceEvents"]) {
        if (!event.is_object() || event.value("ph", "") != "X" || !event.contains("ts") || !event["ts"].is_number()) {
            continue;
        }
        const std::string category = event.value("cat", "");
        TraceEvent parsed { event.value("name", ""), event["ts"].get<double>(), 0, thread_of(event),
            category == "kernel" || category == "cpu_op" };
        parsed.end_us = parsed.begin_us + event.value("dur", 0.0);
        if (category == "user_annotation" && parsed.name == profiled_step_name) {
            steps.push_back(std::move(parsed));
        } else if (counts_on(device, category)) {
            work.push_back(std::move(parsed));
        }
    }
    if (steps.empty()) {
        throw std::runtime_error(
            std::string("the profiler's trace holds no annotated iteration (") + profiled_step_name + ")");
    }
    std::sort(
        steps.begin(), steps.end(), [](const TraceEvent& a, const TraceEvent& b) { return a.begin_us < b.begin_us; });

    // Each event belongs to the iteration during which it started; events outside every iteration (setup between
    // iterations) are not counted.
    std::vector<std::vector<TraceEvent>> per_step(steps.size());
    for (TraceEvent& event : work) {
        const auto after = std::upper_bound(steps.begin(), steps.end(), event.begin_us,
            [](double at, const TraceEvent& step) { return at < step.begin_us; });
        if (after == steps.begin()) {
            continue;
        }
        const size_t index = size_t(after - steps.begin()) - 1;
        if (event.begin_us <= steps[index].end_us) {
            per_step[index].push_back(std::move(event));
        }
    }

    ProfileSummary summary;
    summary.iterations = int(steps.size());
    summary.unit = device == Device::cuda ? "kernels" : "operators";
    double launches = 0;
    double busy_us = 0;
    double total_us = 0;
    std::map<std::string, ProfiledKernel> by_name;
    std::vector<double> step_ms;
    for (size_t i = 0; i < steps.size(); ++i) {
        std::vector<TraceEvent> counted
            = device == Device::cuda ? std::move(per_step[i]) : outermost(std::move(per_step[i]));
        busy_us += union_length(counted, steps[i].begin_us, steps[i].end_us);
        step_ms.push_back((steps[i].end_us - steps[i].begin_us) / 1e3);
        for (const TraceEvent& event : counted) {
            ProfiledKernel& entry = by_name[event.name];
            entry.name = event.name;
            entry.calls_per_iter += 1;
            entry.ms_per_iter += (event.end_us - event.begin_us) / 1e3;
            total_us += event.end_us - event.begin_us;
        }
        launches += double(
            std::count_if(counted.begin(), counted.end(), [](const TraceEvent& event) { return event.launch; }));
    }
    const double n = double(steps.size());
    summary.launches_per_iter = launches / n;
    summary.busy_ms_per_iter = busy_us / 1e3 / n;
    summary.busy_share = measured_ms > 0 ? std::min(1.0, summary.busy_ms_per_iter / measured_ms) : 0;
    summary.profiled_iter_ms = median(step_ms);
    std::vector<ProfiledKernel> ranked;
    for (auto& [name, entry] : by_name) {
        entry.share = total_us > 0 ? entry.ms_per_iter * 1e3 / total_us : 0;
        entry.calls_per_iter /= n;
        entry.ms_per_iter /= n;
        entry.name = shortened(name, max_name_length);
        ranked.push_back(entry);
    }
    std::sort(ranked.begin(), ranked.end(),
        [](const ProfiledKernel& a, const ProfiledKernel& b) { return a.ms_per_iter > b.ms_per_iter; });
    if (ranked.size() > size_t(profiled_top_count)) {
        ranked.resize(size_t(profiled_top_count));
    }
    summary.top = std::move(ranked);
    return summary;
}

} // namespace compilescope
