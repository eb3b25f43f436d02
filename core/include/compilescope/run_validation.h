// Checks a run read from a file the way a configuration is checked before a sweep: a run the program could never
// have produced (negative sizes, an unknown variant, an empty grid, infinite timings) is refused with the field.
#pragma once

#include "compilescope/results.h"
#include "compilescope/validation.h"

#include <string>
#include <vector>

namespace compilescope {

/// Every problem with a loaded run, empty when it is one the program could have written. `field` is the path in
/// the run JSON: "config.d_model" (the configuration, checked by validate_config under its field names),
/// "measurements[3].cell.d_model", "measurements[0].stats.mean_ms". What only decides whether this machine could
/// run the configuration (the device's presence, the dtype on the device, the thread count against this
/// machine's cores) is not checked: a run from a GPU server must open on a laptop.
std::vector<ConfigError> validate_run(const RunResult& run);

/// Throws RunFileError naming up to 10 of validate_run's problems, prefixed "impossible run: "; returns if none.
void check_possible(const RunResult& run);

/// Reads, parses and validates a run file (read_file, parse_run_json, validate_run): the one loader of the CLI's
/// `report` and the GUI's Open. Throws FileError (unreadable, not a regular file, too large) or RunFileError
/// (not a run this version reads, or an impossible one, naming up to 10 of its problems).
RunResult load_run_file(const std::string& path);

} // namespace compilescope
