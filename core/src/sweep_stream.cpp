#include "compilescope/sweep_stream.h"

#include "compilescope/reports.h"
#include "compilescope/run_json.h"

#include <algorithm>
#include <array>
#include <csignal>
#include <utility>

namespace compilescope {

namespace {

using run_json::Json;
using Kind = SweepEvent::Kind;

constexpr std::array<std::pair<Kind, const char*>, 7> kind_names { {
    { Kind::request, "request" },
    { Kind::started, "started" },
    { Kind::progress, "progress" },
    { Kind::log, "log" },
    { Kind::measurement, "measurement" },
    { Kind::finished, "finished" },
    { Kind::failed, "failed" },
} };

/// The event's fields for its kind, read with the run file's from_json.
void read_fields(const Json& json, SweepEvent& event)
{
    switch (event.kind) {
    case Kind::request:
    case Kind::started:
    case Kind::finished:
        run_json::read(json, "run", event.run);
        break;
    case Kind::progress:
        // The progress fields sit in the event object itself, beside "event".
        from_json(json, event.progress);
        break;
    case Kind::measurement:
        run_json::read(json, "measurement", event.measurement);
        break;
    case Kind::log:
    case Kind::failed:
        run_json::read(json, "text", event.text);
        break;
    }
}

} // namespace

std::string stream_line(const SweepEvent& event)
{
    Json json { { "event", "" } };
    for (const auto& [kind, name] : kind_names) {
        if (kind == event.kind)
            json["event"] = name;
    }
    switch (event.kind) {
    case Kind::request:
    case Kind::started:
    case Kind::finished:
        json["run"] = event.run;
        break;
    case Kind::progress:
        json.update(Json(event.progress));
        break;
    case Kind::measurement:
        json["measurement"] = event.measurement;
        break;
    case Kind::log:
    case Kind::failed:
        json["text"] = event.text;
        break;
    }
    // dump() escapes control characters, so the line holds no newline of its own; invalid UTF-8 is replaced.
    return run_json::dump(json) + "\n";
}

SweepEvent parse_stream_line(const std::string& line)
{
    const Json json = run_json::parse(line, "sweep event: ");
    if (!json.is_object())
        throw RunFileError("sweep event: not a JSON object");
    SweepEvent event;
    try {
        std::string name;
        run_json::read(json, "event", name);
        bool known = false;
        for (const auto& [kind, kind_name] : kind_names) {
            if (name == kind_name) {
                event.kind = kind;
                known = true;
            }
        }
        if (!known)
            throw RunFileError("sweep event: unknown event \"" + run_json::shown(name) + "\"");
        read_fields(json, event);
    } catch (const run_json::FieldError& error) {
        throw RunFileError("sweep event: field \"" + error.path() + "\" "
            + (error.wrong_type() ? "has the wrong type: " : "") + error.problem());
    } catch (const nlohmann::json::exception& error) {
        // Every field's type is checked before it is converted, so this is a bug; it still must not escape as one.
        throw RunFileError("sweep event: " + std::string(error.what()).substr(0, 300));
    }
    return event;
}

bool crash_signal(int signal)
{
    for (int crash : { SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS }) {
        if (signal == crash)
            return true;
    }
    return false;
}

bool worker_crashed(std::optional<int> signal)
{
    return !signal || crash_signal(*signal);
}

std::vector<Measurement> died_while_running(const SweepProgress& last, const std::vector<Measurement>& finished,
    const std::vector<Measurement>& plan, const std::string& how)
{
    std::vector<Measurement> died;
    for (const std::string& variant : last.running) {
        const bool reported = std::any_of(finished.begin(), finished.end(), [&](const Measurement& m) {
            return m.cell == last.running_cell && m.phase == last.running_phase && m.variant == variant;
        });
        if (reported)
            continue;
        const auto planned = std::find_if(plan.begin(), plan.end(), [&](const Measurement& m) {
            return m.cell == last.running_cell && m.phase == last.running_phase && m.variant == variant;
        });
        Measurement measurement = planned != plan.end() ? *planned : Measurement {};
        measurement.cell = last.running_cell;
        measurement.phase = last.running_phase;
        measurement.variant = variant;
        measurement.status = MeasurementStatus::failed;
        measurement.message = "the sweep worker died while it ran: " + how
            + (last.running.size() > 1 ? " (" + std::to_string(last.running.size())
                        + " variants were being timed in turns; which one crashed is not known)"
                                       : "");
        died.push_back(std::move(measurement));
    }
    return died;
}

} // namespace compilescope
