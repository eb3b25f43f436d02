// One sweep in a compilescope-worker process (compilescope/sweep_stream.h): the configuration goes in on stdin,
// events come back one JSON line each. A cancel asks the worker to stop after its current iteration and, if it has
// not finished a second later, ends it and everything it started (the Python and exporter children), keeping every
// measurement it reported: LibTorch cannot be interrupted inside a long operator, a process can.
// With a journal the worker also appends every finished measurement to it (compilescope/journal.h), so that what
// finished survives the worker's death (kill -9, the out-of-memory killer) and can be resumed. A worker that crashes
// (a segfault in a loaded package, an abort inside LibTorch) costs only what it was running: that is recorded as
// failed, in the journal too, and a fresh worker continues the journal's sweep.
#pragma once

#include "meta_types.h"

#include <QElapsedTimer>
#include <QObject>
#include <QProcess>
#include <QString>
#include <QTimer>

#include <optional>

namespace compilescope {

class SweepProcess : public QObject {
    Q_OBJECT
public:
    /// How long a cancelled worker may take to finish its iteration and report before it is ended.
    static constexpr int cancel_grace_ms = 1000;

    SweepProcess(const SweepConfig& config, QObject* parent = nullptr);
    /// Ends the worker and its children at once.
    ~SweepProcess() override;

    /// Before start(): the worker appends every finished measurement to the journal at `path`; with `resume` it
    /// ignores the configuration and continues the journal's sweep, reporting the measurements that finished first.
    void setJournal(const QString& path, bool resume);
    const QString& journalPath() const { return m_journal; }
    bool isResume() const { return m_resume; }
    /// Before start(): the request continues `run` (its configuration is the sweep's): its measurements are not
    /// measured again, nor reported (a re-run, compilescope/rerun.h). The worker's fresh journal starts with them.
    void setContinuation(const RunResult& run) { m_continuation = run; }

    /// Starts `worker` (an executable path); failed follows if it cannot start.
    void start(const QString& worker);
    void cancel();

    /// Whether the worker ended without reporting its end although nobody cancelled it (killed, or crashed where no
    /// fresh worker could go on): its journal holds what finished and the sweep can be resumed. Set when finished
    /// is emitted.
    bool workerDied() const { return m_worker_died; }
    /// How the worker died ("killed by signal 9 (Killed)"), when workerDied().
    const QString& deathReason() const { return m_death_reason; }

    /// The worker beside this application, or $COMPILESCOPE_WORKER when set.
    static QString defaultWorker();

Q_SIGNALS:
    void progress(const compilescope::SweepProgress& progress);
    void measurementFinished(const compilescope::Measurement& measurement);
    void logLine(const QString& line);
    /// The whole run, or what the worker reported before it was ended (cancelled set).
    void finished(const compilescope::RunResult& result);
    void failed(const QString& error);

private:
    void readEvents();
    void readLog();
    void onExited(int exit_code, QProcess::ExitStatus status);
    void killGroup();
    /// After a crash (crash_signal): records what the worker was running as failed, in the signals and the
    /// journal, and starts a fresh worker on the journal. False when it cannot (no journal, nothing was running).
    bool continueAfterCrash();
    /// The run so far: the worker's header and the measurements it reported; `why` goes to the log.
    void finishWithPartialRun(const QString& why);

    QProcess m_process;
    QByteArray m_pending_stdout;
    QByteArray m_pending_stderr;
    RunResult m_run; ///< the header (once started) and every measurement reported
    bool m_started = false; ///< the worker sent the header
    SweepProgress m_last; ///< the worker's last progress: what it was running
    QString m_worker; ///< the executable, for a fresh worker after a crash
    QElapsedTimer m_clock;
    QTimer m_grace;
    bool m_done = false; ///< finished or failed was emitted
    bool m_cancel_requested = false;
    bool m_worker_died = false;
    QString m_death_reason;
    QString m_journal;
    bool m_resume = false;
    std::optional<RunResult> m_continuation;
};

} // namespace compilescope
