// Reading a saved run (JSON written by the GUI or the CLI).
#pragma once

#include "compilescope/results.h"

#include <QString>

#include <optional>

namespace compilescope {

struct LoadedRun {
    std::optional<RunResult> run;
    QString error; ///< why the file was refused, naming the file; empty when `run` is set
};

/// Reads, parses and checks a run with the core's load_run_file (the CLI's `report` uses the same): a FIFO, a
/// device, an oversized file, malformed or too deeply nested JSON, another schema, an unsupported version or an
/// impossible run (negative sizes, an unknown variant) give an error naming the file, not a throw.
LoadedRun loadRunFile(const QString& path);

} // namespace compilescope
