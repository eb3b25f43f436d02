// The soak: back-to-back tiny sweeps through the real worker in one GUI process, as a user running many in a session.
// Resident memory must settle after a warm-up, and threads, file descriptors and child processes must not pile up.
// Slow (minutes), so hidden from the default run: bench/soak_gui.sh runs it and prints the figures, or
//   COMPILESCOPE_SOAK_SWEEPS=200 QT_QPA_PLATFORM=offscreen build/bin/ui_tests "[soak]"
#include <catch2/catch.hpp>

#include "compilescope/presets.h"
#include "config_panel.h"
#include "main_window.h"
#include "run_store.h"
#include "test_support.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>

#include <cstdio>
#include <string>

#include <unistd.h>

using namespace compilescope;

namespace {

struct ProcessFigures {
    long rss_kb = 0;
    int threads = 0;
    int fds = 0;
    int children = 0; ///< processes whose parent is this one (zombies included)
};

long statusField(const QByteArray& status, const QByteArray& field)
{
    for (const QByteArray& line : status.split('\n')) {
        if (line.startsWith(field + ':'))
            return line.mid(field.size() + 1).trimmed().split(' ').value(0).toLong();
    }
    return -1;
}

int entries(const QString& directory)
{
    return static_cast<int>(QDir(directory).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::System).size());
}

int childProcesses()
{
    const QByteArray me = QByteArray::number(static_cast<qint64>(::getpid()));
    int count = 0;
    for (const QString& pid : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        if (!pid.front().isDigit())
            continue;
        QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
        if (!stat.open(QIODevice::ReadOnly))
            continue;
        // "pid (comm) state ppid ...": the command may hold spaces, so count from the last ')'.
        const QByteArray text = stat.readAll();
        const QList<QByteArray> after = text.mid(text.lastIndexOf(')') + 2).split(' ');
        count += after.value(1) == me ? 1 : 0;
    }
    return count;
}

ProcessFigures measure()
{
    QFile status(QStringLiteral("/proc/self/status"));
    REQUIRE(status.open(QIODevice::ReadOnly));
    const QByteArray text = status.readAll();
    ProcessFigures figures;
    figures.rss_kb = statusField(text, "VmRSS");
    figures.threads = entries(QStringLiteral("/proc/self/task"));
    figures.fds = entries(QStringLiteral("/proc/self/fd"));
    figures.children = childProcesses();
    return figures;
}

} // namespace

TEST_CASE("soak: 200 tiny sweeps through the worker in one GUI process, no growth, no leaks", "[.soak]")
{
    const int sweeps = qEnvironmentVariableIsSet("COMPILESCOPE_SOAK_SWEEPS")
        ? qEnvironmentVariableIntValue("COMPILESCOPE_SOAK_SWEEPS")
        : 200;
    const int warm_up = std::max(1, sweeps / 10); // 20 of 200
    REQUIRE(sweeps > warm_up);

    // One cell, eager only, the core's quick timing settings: the sweep is mostly the worker's start and end.
    SweepConfig config;
    apply_quick(config);
    config.workloads = { Workload::attention };
    config.attention.d_models = { 16 };
    config.attention.seq_lens = { 16 };
    config.variants = { "eager" };
    config.threads = 1;

    MainWindow window;
    window.setConfirmDiscard(false);
    window.show();
    REQUIRE(test::waitUntil([&] { return window.hasCapabilities(); }, 60000));
    window.configPanel()->setConfig(config);
    REQUIRE(window.configPanel()->validationMessage().toStdString().empty());

    QSignalSpy ended(&window, &MainWindow::sweepEnded);
    QElapsedTimer clock;
    clock.start();
    ProcessFigures after_warm_up;
    int failed_sweeps = 0;
    for (int sweep = 1; sweep <= sweeps; ++sweep) {
        REQUIRE(window.startSweep());
        REQUIRE(test::waitUntil([&] { return ended.count() == sweep; }, 120000));
        const RunResult& run = window.store().run();
        if (run.cancelled || run.measurements.empty()
            || !std::all_of(
                run.measurements.begin(), run.measurements.end(), [](const Measurement& m) { return m.ok(); }))
            ++failed_sweeps;
        // Let the finished worker's QProcess and deferred deletions go before measuring.
        test::waitUntil([] { return false; }, 50);
        if (sweep == warm_up)
            after_warm_up = measure();
    }
    const ProcessFigures at_end = measure();
    const double seconds = static_cast<double>(clock.elapsed()) / 1000.0;
    const double growth
        = 100.0 * static_cast<double>(at_end.rss_kb - after_warm_up.rss_kb) / static_cast<double>(after_warm_up.rss_kb);
    std::printf("soak: sweeps %d in %.1f s (%.2f s each), failed sweeps %d\n"
                "soak: VmRSS after sweep %d: %ld kB, after sweep %d: %ld kB, growth %+.2f%%\n"
                "soak: threads %d -> %d, fds %d -> %d, child processes %d -> %d\n",
        sweeps, seconds, seconds / sweeps, failed_sweeps, warm_up, after_warm_up.rss_kb, sweeps, at_end.rss_kb, growth,
        after_warm_up.threads, at_end.threads, after_warm_up.fds, at_end.fds, after_warm_up.children, at_end.children);
    std::fflush(stdout);

    CHECK(failed_sweeps == 0);
    CHECK(growth < 5.0);
    CHECK(at_end.threads <= after_warm_up.threads);
    CHECK(at_end.fds <= after_warm_up.fds);
    CHECK(at_end.children == 0);
}
