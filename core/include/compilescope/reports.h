// Pure functions from a run to text: Markdown (seed layout + extended sections), JSON, CSV.
#pragma once

#include "compilescope/results.h"

#include <stdexcept>
#include <string>

namespace compilescope {

/// The seed report's layout exactly (headings, columns, `mean±std`, `1.02x`), Key Observations computed from data.
std::string seed_markdown(const RunResult& run);

/// seed_markdown() followed by the extended sections: environment, compile latency, medians/IQR, memory,
/// correctness, failed/skipped measurements, notes.
std::string full_markdown(const RunResult& run);

/// Versioned JSON ("schema": "compilescope-run", "schema_version": 1); parse_run_json(to_json(r)) == r.
std::string to_json(const RunResult& run);

/// Thrown for malformed JSON, a different schema or an unsupported version; what() says which.
class RunFileError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

RunResult parse_run_json(const std::string& text);

/// Tidy CSV: a header row, then one row per measurement (cell x phase x variant).
std::string to_csv(const RunResult& run);

/// A Markdown section comparing `run` with a comparison run loaded beside it (File ▸ Compare, `report --compare`):
/// which file it is (`comparison_path`, its start time and device), the ratio of the medians (this run /
/// comparison run) of every cell x phase x variant that is ok in both, and every field of the run JSON's "config"
/// and "environment" whose value differs. ("Baseline" in the reports is the speedup baseline, eager or py-eager.)
std::string comparison_markdown(const RunResult& run, const RunResult& comparison, const std::string& comparison_path);

} // namespace compilescope
