// Shared helpers of the GUI tests: waiting on the event loop, a tiny real sweep, a hand-made run.
#pragma once

#include "compilescope/config.h"
#include "compilescope/results.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QStringList>
#include <QTemporaryDir>
#include <QTimer>

#include <functional>
#include <vector>

class QCPGraph;
class QCustomPlot;

namespace compilescope::test {

/// How many times the bounds on GUI times widen in this build. They are set for the Release build; ASan's
/// instrumentation makes the same work several times slower (CI's ASan step saw 66 ms for a 50 ms bound, 9.5 s for
/// a 10 s one). Widened bounds still catch what they are there for: a blocked event loop, a sweep that ignores its
/// cancel, a quadratic chart.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr int time_factor = 4;
#else
inline constexpr int time_factor = 1;
#endif

/// Runs the event loop until `condition` holds or `timeout_ms` passes; returns whether it held.
bool waitUntil(const std::function<bool()>& condition, int timeout_ms);

/// A 10 ms timer on the GUI thread: a long gap between its ticks means the event loop was blocked.
/// On a busy machine the OS may also keep the GUI thread waiting for a CPU; where Linux reports that wait
/// (/proc/thread-self/schedstat), it is measured too, so a gap can be split into scheduler wait and the rest.
class EventLoopProbe {
public:
    EventLoopProbe();
    void start();
    void stop();
    /// The longest interval between two ticks, wall clock.
    qint64 worstGapMs() const { return m_worst_gap_ms; }
    /// The longest interval between two ticks less the time the thread waited in the run queue for a CPU
    /// (equal to worstGapMs() where the OS does not report that wait).
    qint64 worstBlockedGapMs() const { return m_worst_blocked_ms; }

private:
    void tick();

    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last_ms = -1;
    qint64 m_last_wait_ns = 0;
    qint64 m_worst_gap_ms = 0;
    qint64 m_worst_blocked_ms = 0;
};

/// Points $XDG_STATE_HOME (the journals) and $XDG_DATA_HOME (the history) at temporary folders while it lives.
class TemporaryHomes {
public:
    TemporaryHomes();
    ~TemporaryHomes();
    TemporaryHomes(const TemporaryHomes&) = delete;
    TemporaryHomes& operator=(const TemporaryHomes&) = delete;
    /// The journals in the state folder's journal directory.
    QStringList journals() const;

private:
    QTemporaryDir m_state;
    QTemporaryDir m_data;
    QByteArray m_previous_state;
    QByteArray m_previous_data;
};

/// Attention only, d_model 16, seq_len 32 and 64, warm-up 1, exactly 2 timed iterations, eager + torchscript,
/// one thread: 12 real measurements in a few seconds.
SweepConfig tinySweep();

/// A finished run with hand-chosen samples (2 d_model x 2 seq_len x 3 attention phases x eager/torchscript), for
/// tests of exports and views that need no LibTorch.
RunResult sampleRun();

/// sampleRun() with its d_model 16 measurements only: one row, as with a single d_model or the first row of a live
/// sweep.
RunResult sampleRunOfOneDModel();

/// `run` with a variant more: a copy of every measurement of `from` named `to`, its samples times `time_factor`.
RunResult withVariantCopy(RunResult run, const std::string& from, const std::string& to, double time_factor = 1.0);

/// The graphs of a chart that are curves, in order: not the dotted rings that mark points without an interval.
std::vector<QCPGraph*> curveGraphs(QCustomPlot* plot);

} // namespace compilescope::test
