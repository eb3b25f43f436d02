// The run JSON's objects for core code that embeds them in other documents (the sweep worker's event stream).
// The schema itself has one home, report_json.cpp; readers throw ReportFormatError naming the field.
#pragma once

#include "compilescope/results.h"

#include <nlohmann/json.hpp>

#include <string>

namespace compilescope::run_json {

using Json = nlohmann::ordered_json;

/// The deepest nesting of arrays and objects a document may have. A run file nests 6 deep; the cap keeps a
/// hostile file (100,000 brackets) from reaching code that recurses over the tree, such as dump().
inline constexpr int max_depth = 64;

/// Parses one JSON document. Every failure throws ReportFormatError whose message starts with `what`: malformed
/// JSON, a number out of range (1e999), nesting deeper than max_depth (refused while parsing, before the tree is
/// built), or a document too large for memory.
Json parse(const std::string& text, const std::string& what);

/// Serialises without ever throwing: invalid UTF-8 in a string becomes U+FFFD. indent -1: one line.
std::string dump(const Json& json, int indent = -1);

/// `text` for an error message: at most 60 bytes, cut with "...", so a hostile 100 MB string is not echoed.
std::string shown(const std::string& text);

/// The whole document that to_json() writes, and back (schema and version checked).
Json run(const RunResult& run);
RunResult read_run(const Json& document);

/// One item of the document's "measurements", and back.
Json measurement(const Measurement& measurement);
Measurement read_measurement(const Json& object);

} // namespace compilescope::run_json
