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

/// Reads and parses a run; malformed JSON, another schema or an unsupported version give an error, not a throw.
LoadedRun loadRunFile(const QString& path);

} // namespace compilescope
