// Counts what the user does with the app while a sweep runs. On a machine with few cores the interface competes
// with the sweep for them (bench/gui_disturbance.sh measured it, README), so every measurement taken while the app
// was in use is marked in its notes, and the first use during a sweep says so in the status bar.
#pragma once

#include "compilescope/results.h"

#include <QObject>

#include <optional>

namespace compilescope {

class InteractionMonitor : public QObject {
    Q_OBJECT
public:
    explicit InteractionMonitor(QObject* parent = nullptr);

    /// Starts counting (a sweep began); earlier input is forgotten.
    void start();
    void stop();

    /// The measurement with a note when the app was used while its cell and phase were measured. The variants
    /// of a cell and phase are timed together and arrive together, so they share one count.
    Measurement marked(Measurement measurement);
    /// Marks the final run's measurements as they were marked when they arrived.
    void markRun(RunResult& run) const;

Q_SIGNALS:
    /// The first input of a sweep.
    void firstInteraction();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    bool m_active = false;
    int m_count = 0; ///< inputs since the current cell and phase began arriving
    std::optional<std::pair<CellKey, Phase>> m_phase; ///< the cell and phase whose measurements arrive now
    int m_phase_count = 0;
    std::vector<std::pair<std::pair<CellKey, Phase>, std::string>> m_notes; ///< per marked cell and phase
};

} // namespace compilescope
