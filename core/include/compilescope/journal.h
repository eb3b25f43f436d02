// A sweep's journal: every finished measurement is appended to a file as it finishes, one line each, so that a
// sweep killed outright (kill -9, the out-of-memory killer, a lost machine) keeps what finished and can be resumed.
// Lines are the worker protocol's events (compilescope/sweep_stream.h) after one header line; each is written with
// one write(2), so a killed process leaves at most a torn last line, which the reader ignores.
#pragma once

#include "compilescope/results.h"

#include <deque>
#include <map>
#include <string>

namespace compilescope {

/// Where the run's reports go (e.g. "json" → "/abs/run.json"): opaque to the core, kept for `resume`.
using JournalOutputs = std::map<std::string, std::string>;

class JournalWriter {
public:
    /// Creates the journal at `path`, refusing to overwrite one; with `resume`, appends to the existing journal.
    /// Throws FileError, also when another process is writing it.
    JournalWriter(const std::string& path, const JournalOutputs& outputs, bool resume);
    ~JournalWriter();
    JournalWriter(const JournalWriter&) = delete;
    JournalWriter& operator=(const JournalWriter&) = delete;

    /// The run's configuration, environment and start (SweepCallbacks::on_started).
    void started(const RunResult& header);
    /// One finished measurement (SweepCallbacks::on_measurement).
    void measurement(const Measurement& measurement);

    const std::string& path() const { return m_path; }
    /// Why lines are still waiting to be written (the last write failed), "" when the journal holds every line. A
    /// journal that cannot be written never stops the sweep: its lines wait in memory and each later line tries
    /// them again first (a full disk that frees up loses nothing).
    const std::string& error() const { return m_error; }
    /// Lines not yet in the journal.
    size_t pending_lines() const { return m_pending.size(); }
    /// Writes the pending lines in order until one fails; true when none is left.
    bool flush_pending();
    /// Deletes the journal once its run has been written whole.
    void remove();

private:
    void append(const std::string& line);

    std::string m_path;
    int m_fd = -1;
    std::string m_error;
    std::deque<std::string> m_pending; ///< lines not yet written, oldest first
    bool m_torn = false; ///< a write stopped part-way through a line: the next one starts on a new line
};

/// The note read_journal() gives every measurement it reads: in the resumed run it marks what an earlier attempt
/// measured, apart from what the resume measured.
inline constexpr const char* earlier_attempt_note = "measured before the sweep was interrupted and resumed";

struct Journal {
    JournalOutputs outputs;
    /// Configuration, environment and start time of the first start; the measurements that finished (the latest of
    /// each cell, phase and variant; cancelled ones left out, they are to be run), in the order they finished, each
    /// with earlier_attempt_note.
    RunResult run;
    int torn_lines = 0; ///< unreadable lines ignored (a process killed while writing leaves one at the end)
};

/// Reads a journal. Throws FileError (unreadable) or RunFileError: not a journal; no start recorded, or its line
/// unreadable; a run the program could not have written (run_validation.h); or not to be trusted: a symbolic link,
/// another user's file, or one other users can write (a journal names the program a resume runs and the files it
/// writes).
Journal read_journal(const std::string& path);

/// Whether a live process is writing the journal at `path` (its writer holds a lock until it ends, however it
/// ends): a journal not in use belongs to a sweep that stopped or died.
bool journal_in_use(const std::string& path);

/// The journal name for a run whose first report goes to `report_path`: "<report_path>.journal".
std::string journal_path_for(const std::string& report_path);

} // namespace compilescope
