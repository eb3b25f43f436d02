// Where a sweep started from the command line (`run`, `rerun`) keeps its journal: beside its first report written to a
// file, or in the state folder when every report goes to standard output.
#pragma once

#include "compilescope/journal.h"

#include <optional>
#include <ostream>
#include <string>

namespace compilescope::cli {

/// The reports a journal records for a later `resume`, by format, with absolute paths ("-" stays "-").
JournalOutputs journal_outputs(const std::optional<std::string>& markdown, const std::optional<std::string>& json,
    const std::optional<std::string>& csv);

/// Beside the first report written to a file ("<report>.journal"), else
/// $XDG_STATE_HOME/compilescope/journals/run-<time>-<pid>.journal; "" (and why in `why_none`) when there is no usable
/// state folder.
std::string journal_path(const JournalOutputs& outputs, std::string& why_none);

/// Says on `err` why the sweep cannot start where its journal is: a journal at `path` belongs to an interrupted sweep
/// that wrote these reports (`resume` finishes it). False when there is none.
bool report_existing_journal(const std::string& path, std::ostream& err);

} // namespace compilescope::cli
