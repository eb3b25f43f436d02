#include "sweep_worker.h"

#include "compilescope/sweep.h"

#include <exception>

namespace compilescope {

void SweepWorker::probe()
{
    Q_EMIT capabilitiesReady(Capabilities::query());
}

void SweepWorker::run(quint64 run_id, const SweepConfig& config, const std::shared_ptr<CancelToken>& cancel)
{
    // Progress is emitted once per measurement, the same rate as the measurements themselves, which must all
    // arrive anyway; thinning it out would leave the label naming a finished cell during a long one.
    SweepCallbacks callbacks;
    callbacks.on_progress = [this, run_id](const SweepProgress& value) { Q_EMIT progress(run_id, value); };
    callbacks.on_measurement = [this, run_id](const Measurement& value) { Q_EMIT measurementFinished(run_id, value); };
    callbacks.on_log
        = [this, run_id](const std::string& line) { Q_EMIT logLine(run_id, QString::fromStdString(line)); };
    try {
        Q_EMIT finished(run_id, run_sweep(config, callbacks, *cancel));
    } catch (const std::exception& error) {
        Q_EMIT failed(run_id, QString::fromStdString(error.what()));
    }
}

} // namespace compilescope
