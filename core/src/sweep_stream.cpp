#include "compilescope/sweep_stream.h"

#include "compilescope/reports.h"
#include "run_json.h"

#include <array>
#include <cstdint>
#include <limits>
#include <type_traits>
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

const Json& field(const Json& event, const char* key)
{
    const auto found = event.find(key);
    if (found == event.end())
        throw ReportFormatError(std::string("sweep event: \"") + key + "\" is missing");
    return *found;
}

template <typename T> T value(const Json& event, const char* key)
{
    try {
        const Json& found = field(event, key);
        // get<int>() of 1e300 or of 2^40 would convert out of range; counts must be integers an int holds.
        if constexpr (std::is_same_v<T, int>) {
            if (!found.is_number_integer() || found.get<int64_t>() < std::numeric_limits<int>::min()
                || found.get<int64_t>() > std::numeric_limits<int>::max()
                || (found.is_number_unsigned() && found.get<uint64_t>() > uint64_t(std::numeric_limits<int>::max())))
                throw ReportFormatError(std::string("sweep event: \"") + key
                    + "\" has the wrong type (expected an integer that fits an int)");
        }
        return found.get<T>();
    } catch (const nlohmann::json::exception&) {
        throw ReportFormatError(std::string("sweep event: \"") + key + "\" has the wrong type");
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
        json["run"] = run_json::run(event.run);
        break;
    case Kind::progress:
        json["completed"] = event.progress.completed;
        json["total"] = event.progress.total;
        json["current"] = event.progress.current;
        json["elapsed_s"] = event.progress.elapsed_s;
        json["eta_s"] = event.progress.eta_s;
        break;
    case Kind::measurement:
        json["measurement"] = run_json::measurement(event.measurement);
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
        throw ReportFormatError("sweep event: not a JSON object");
    SweepEvent event;
    const std::string name = value<std::string>(json, "event");
    bool known = false;
    for (const auto& [kind, kind_name] : kind_names) {
        if (name == kind_name) {
            event.kind = kind;
            known = true;
        }
    }
    if (!known)
        throw ReportFormatError("sweep event: unknown event \"" + run_json::shown(name) + "\"");
    switch (event.kind) {
    case Kind::request:
    case Kind::started:
    case Kind::finished:
        event.run = run_json::read_run(field(json, "run"));
        break;
    case Kind::progress:
        event.progress.completed = value<int>(json, "completed");
        event.progress.total = value<int>(json, "total");
        event.progress.current = value<std::string>(json, "current");
        event.progress.elapsed_s = value<double>(json, "elapsed_s");
        event.progress.eta_s = value<double>(json, "eta_s");
        break;
    case Kind::measurement:
        event.measurement = run_json::read_measurement(field(json, "measurement"));
        break;
    case Kind::log:
    case Kind::failed:
        event.text = value<std::string>(json, "text");
        break;
    }
    return event;
}

} // namespace compilescope
