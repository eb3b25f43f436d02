// JSON text in and out: the parser with its nesting cap, the dump that never throws, and the run file's entry points
// of compilescope/reports.h. The fields themselves are in run_json_fields.h.
#include "compilescope/reports.h"
#include "compilescope/run_json.h"

#include <new>

namespace compilescope {

using run_json::Json;

Json run_json::parse(const std::string& text, const std::string& what)
{
    // The callback sees each array and object as it opens, with its depth (the root's is 0), so a deep document
    // is refused after max_depth brackets: neither the tree nor its destruction ever gets deep.
    const Json::parser_callback_t refuse_deep = [&what](int depth, nlohmann::json::parse_event_t event, Json&) {
        if (depth >= max_depth
            && (event == nlohmann::json::parse_event_t::object_start
                || event == nlohmann::json::parse_event_t::array_start))
            throw RunFileError(what + "nesting deeper than " + std::to_string(max_depth)
                + " arrays and objects (a run file nests 6 deep)");
        return true;
    };
    try {
        return Json::parse(text, refuse_deep);
    } catch (const nlohmann::json::out_of_range& error) {
        // Thrown by the parser for a number beyond a double (1e999), among others.
        const std::string message = error.what();
        throw RunFileError(what + "a value out of range: " + message.substr(0, 300));
    } catch (const nlohmann::json::exception& error) {
        const std::string message = error.what();
        throw RunFileError(what + "malformed JSON: " + message.substr(0, 300));
    } catch (const std::bad_alloc&) {
        throw RunFileError(
            what + "the document does not fit in memory (" + std::to_string(text.size()) + " bytes of JSON)");
    }
}

std::string run_json::dump(const Json& json, int indent)
{
    return json.dump(indent, ' ', false, Json::error_handler_t::replace);
}

std::string run_json::shown(const std::string& text)
{
    constexpr size_t longest = 60;
    return text.size() <= longest ? text : text.substr(0, longest) + "...";
}

std::string to_json(const RunResult& run)
{
    return run_json::dump(Json(run), 2) + "\n";
}

RunResult parse_run_json(const std::string& text)
{
    const Json document = run_json::parse(text, "");
    try {
        return document.get<RunResult>();
    } catch (const nlohmann::json::exception& error) {
        // from_json checks every type before converting, so this is a bug; it still must not escape as one.
        throw RunFileError("invalid run file: " + std::string(error.what()).substr(0, 300));
    }
}

} // namespace compilescope
