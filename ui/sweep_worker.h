// Lives on the sweep thread: runs the core's blocking calls and reports back through queued signals.
#pragma once

#include "meta_types.h"

#include <QObject>
#include <QString>

#include <memory>

namespace compilescope {

class SweepWorker : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

    /// Queries devices, variants and the environment, then emits capabilitiesReady.
    void probe();

    /// Runs a sweep to the end (or until `cancel` is set), emitting its progress, each measurement and log line
    /// tagged with `run_id`, then finished (or failed when the core refused the configuration).
    void run(quint64 run_id, const SweepConfig& config, const std::shared_ptr<CancelToken>& cancel);

Q_SIGNALS:
    void capabilitiesReady(const compilescope::Capabilities& capabilities);
    void progress(quint64 run_id, const compilescope::SweepProgress& progress);
    void measurementFinished(quint64 run_id, const compilescope::Measurement& measurement);
    void logLine(quint64 run_id, const QString& line);
    void finished(quint64 run_id, const compilescope::RunResult& result);
    void failed(quint64 run_id, const QString& error);
};

} // namespace compilescope
