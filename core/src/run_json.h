// The run JSON's objects for core code that embeds them in other documents (the sweep worker's event stream).
// The schema itself has one home, report_json.cpp; readers throw ReportFormatError naming the field.
#pragma once

#include "compilescope/results.h"

#include <nlohmann/json.hpp>

namespace compilescope::run_json {

using Json = nlohmann::ordered_json;

/// The whole document that to_json() writes, and back (schema and version checked).
Json run(const RunResult& run);
RunResult read_run(const Json& document);

/// One item of the document's "measurements", and back.
Json measurement(const Measurement& measurement);
Measurement read_measurement(const Json& object);

} // namespace compilescope::run_json
