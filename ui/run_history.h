// Every run a sweep leaves with results is kept, whether or not it is exported: one JSON file per run in the history
// folder, the newest kept_runs of them. A file's name says when the run started, its workloads, device and how many
// measurements finished, so the menu lists the history without parsing runs of several MB each.
#pragma once

#include "compilescope/results.h"

#include <QDateTime>
#include <QList>
#include <QString>

namespace compilescope {

struct HistoryEntry {
    QString path;
    QDateTime started; ///< UTC
    QString workloads; ///< e.g. "attention" or "attention+transformer_lm"
    QString device; ///< "cpu", "cuda"
    int finished_measurements = 0;
    int planned_measurements = 0; ///< 0 in names saved before it was recorded

    /// Fewer measurements finished than were planned (cancelled, or the worker died).
    bool partial() const { return finished_measurements < planned_measurements; }
};

class RunHistory {
public:
    static constexpr int kept_runs = 50;

    /// The history in `directory` (created on the first save).
    explicit RunHistory(QString directory = defaultDirectory());
    /// `history` in the application's data folder ($XDG_DATA_HOME/CompileScope/CompileScope/history on Linux).
    static QString defaultDirectory();
    const QString& directory() const { return m_directory; }

    /// Writes `run` as File ▸ Export JSON does (atomically) and deletes the oldest runs beyond kept_runs. Returns the
    /// path written; `error` receives why nothing was written, if so.
    QString save(const RunResult& run, QString* error) const;
    /// The runs in the history, newest first. Files whose names this class did not make are left out (and never
    /// deleted).
    QList<HistoryEntry> entries() const;

private:
    QString m_directory;
};

} // namespace compilescope
