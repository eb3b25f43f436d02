#include "test_support.h"

#include "compilescope/statistics.h"
#include "interrupted_sweeps.h"

#include <catch2/catch.hpp>

#include <QDir>

#include <QCoreApplication>
#include <QFile>
#include <QThread>
#include <qcustomplot.h>

#include <algorithm>
#include <optional>

namespace compilescope::test {

namespace {

// Nanoseconds this thread has spent runnable but waiting for a CPU (second field of schedstat).
std::optional<qint64> runQueueWaitNs()
{
    QFile file(QStringLiteral("/proc/thread-self/schedstat"));
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QList<QByteArray> fields = file.readAll().split(' ');
    bool ok = false;
    const qint64 wait = fields.size() >= 2 ? fields[1].toLongLong(&ok) : 0;
    return ok ? std::optional<qint64>(wait) : std::nullopt;
}

} // namespace

EventLoopProbe::EventLoopProbe()
{
    m_timer.setInterval(10);
    m_timer.setTimerType(Qt::PreciseTimer);
    QObject::connect(&m_timer, &QTimer::timeout, [this] { tick(); });
}

void EventLoopProbe::start()
{
    m_last_wait_ns = runQueueWaitNs().value_or(0);
    m_clock.start();
    m_last_ms = -1;
    m_timer.start();
}

void EventLoopProbe::stop()
{
    m_timer.stop();
}

void EventLoopProbe::tick()
{
    const qint64 now = m_clock.elapsed();
    const qint64 wait_ns = runQueueWaitNs().value_or(0);
    if (m_last_ms >= 0) {
        const qint64 gap = now - m_last_ms;
        m_worst_gap_ms = std::max(m_worst_gap_ms, gap);
        m_worst_blocked_ms = std::max(m_worst_blocked_ms, gap - (wait_ns - m_last_wait_ns) / 1000000);
    }
    m_last_ms = now;
    m_last_wait_ns = wait_ns;
}

bool waitUntil(const std::function<bool()>& condition, int timeout_ms)
{
    QElapsedTimer timer;
    timer.start();
    while (!condition()) {
        if (timer.elapsed() > timeout_ms)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
        QThread::msleep(1);
    }
    return true;
}

TemporaryHomes::TemporaryHomes()
    : m_previous_state(qgetenv("XDG_STATE_HOME"))
    , m_previous_data(qgetenv("XDG_DATA_HOME"))
{
    REQUIRE(m_state.isValid());
    REQUIRE(m_data.isValid());
    qputenv("XDG_STATE_HOME", m_state.path().toUtf8());
    qputenv("XDG_DATA_HOME", m_data.path().toUtf8());
}

TemporaryHomes::~TemporaryHomes()
{
    qputenv("XDG_STATE_HOME", m_previous_state);
    qputenv("XDG_DATA_HOME", m_previous_data);
}

QStringList TemporaryHomes::journals() const
{
    return QDir(journalDirectory()).entryList({ QStringLiteral("*.journal") }, QDir::Files);
}

SweepConfig tinySweep()
{
    SweepConfig config;
    config.workloads = { Workload::attention };
    config.attention.d_models = { 16 };
    config.attention.seq_lens = { 32, 64 };
    config.variants = { "eager", "torchscript" };
    config.measure.warmup_iters = 1;
    config.measure.fixed_iters = 2;
    config.threads = 1;
    return config;
}

RunResult sampleRun()
{
    RunResult run;
    run.config.workloads = { Workload::attention };
    run.config.attention.d_models = { 16, 32 };
    run.config.attention.seq_lens = { 256, 1024 };
    run.environment.libtorch_version = "1.13.1";
    run.environment.cpu_model = "test CPU";
    run.environment.cpu_cores = 2;
    run.environment.torch_threads = 1;
    run.started_at = "2026-11-25T12:00:00+00:00";
    run.finished_at = "2026-11-25T12:00:05+00:00";
    run.wall_time_s = 5;
    for (int64_t d_model : run.config.attention.d_models) {
        for (int64_t seq_len : run.config.attention.seq_lens) {
            for (Phase phase : phases_of(Workload::attention)) {
                for (const std::string variant : { "eager", "torchscript" }) {
                    Measurement m;
                    m.cell = { Workload::attention, 8, d_model, seq_len };
                    m.phase = phase;
                    m.variant = variant;
                    // Latency grows with seq_len² and d_model; torchscript is 4% faster; a little spread. Ten
                    // samples: an interval needs min_samples_for_interval on each side.
                    const double base = 1e-6 * static_cast<double>(seq_len * seq_len * d_model)
                        * (phase == Phase::forward ? 1.0 : 2.0) * (variant == "eager" ? 1.0 : 0.96);
                    m.samples_ms = { base * 0.98, base, base * 1.01, base * 1.02, base * 0.99, base * 1.005,
                        base * 0.995, base * 1.015, base * 0.985, base };
                    m.stats = summarize(m.samples_ms);
                    m.warmup_iters = 1;
                    if (variant != "eager") {
                        m.compile_ms = 12.5;
                        m.correctness = { true, true, 1e-7, 1e-7, 1e-4, "output" };
                    }
                    run.measurements.push_back(m);
                }
            }
        }
    }
    return run;
}

RunResult withVariantCopy(RunResult run, const std::string& from, const std::string& to, double time_factor)
{
    run.config.variants.push_back(to);
    const std::vector<Measurement> measured = run.measurements;
    for (Measurement measurement : measured) {
        if (measurement.variant != from)
            continue;
        measurement.variant = to;
        for (double& sample : measurement.samples_ms)
            sample *= time_factor;
        measurement.stats = summarize(measurement.samples_ms);
        run.measurements.push_back(measurement);
    }
    return run;
}

std::vector<QCPGraph*> curveGraphs(QCustomPlot* plot)
{
    std::vector<QCPGraph*> curves;
    for (int i = 0; i < plot->graphCount(); ++i) {
        if (plot->graph(i)->objectName() != QStringLiteral("noIntervalRings"))
            curves.push_back(plot->graph(i));
    }
    return curves;
}

RunResult sampleRunOfOneDModel()
{
    RunResult run = sampleRun();
    run.measurements.erase(std::remove_if(run.measurements.begin(), run.measurements.end(),
                               [](const Measurement& m) { return m.cell.d_model != 16; }),
        run.measurements.end());
    return run;
}

} // namespace compilescope::test
