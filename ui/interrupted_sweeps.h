// The GUI's sweep journals (compilescope/journal.h): every sweep the window starts appends each finished
// measurement to a journal in the state folder, so that a sweep whose worker (or the whole app) was killed, by
// kill -9 or the out-of-memory killer, keeps what finished. A journal that no live process holds belongs to such a
// sweep: the next start offers to resume it (journal_offer.h).
#pragma once

#include "compilescope/journal.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace compilescope {

/// $XDG_STATE_HOME/CompileScope/journals (default ~/.local/state/CompileScope/journals). Read from the environment
/// at each call (Qt 6.4 has no GenericStateLocation); "" when neither XDG_STATE_HOME nor HOME is an absolute path.
QString journalDirectory();

/// A fresh journal path for a sweep starting now, "sweep-<yyyyMMdd-HHmmss>-<pid>[-n].journal", its folder created;
/// "" (and `error` set) when the folder cannot be made: the sweep then runs without a journal.
QString newJournalPath(QString* error);

/// A journal left by a sweep that stopped without reporting its end.
struct InterruptedSweep {
    QString path;
    QDateTime modified; ///< the journal's last write: about when the sweep was interrupted
    std::optional<Journal> journal; ///< nullopt when it cannot be read
    QString error; ///< why it cannot be read

    /// The measurements that finished, and how many the sweep planned.
    int finished() const;
    int planned() const;
};

/// The journal at `path`, read (whether a process writes it is not checked).
InterruptedSweep interruptedSweepAt(const QString& path);

/// The journals in `directory` that no live process writes, newest first. A journal of a sweep that never started
/// (at most its header line, older than a minute) holds nothing and is deleted on the way.
QList<InterruptedSweep> findInterruptedSweeps(const QString& directory = journalDirectory());

/// "A sweep was interrupted on <date>: <workloads>, N of M measurements finished."
QString describeInterruptedSweep(const InterruptedSweep& sweep);
/// One line for a menu: "<date> · <workloads> · N of M".
QString menuTextOfInterruptedSweep(const InterruptedSweep& sweep);

/// What finished, as a stopped sweep reports it: the journal's measurements with the planned ones that did not
/// finish marked cancelled ("not started"), in the plan's order; cancelled, finished at the journal's last write.
RunResult runOfInterruptedSweep(const InterruptedSweep& sweep);

/// Deletes a journal; false (and `error` set) if it stays.
bool removeJournal(const QString& path, QString* error = nullptr);

} // namespace compilescope
