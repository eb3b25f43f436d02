#include "interaction_monitor.h"

#include <QCoreApplication>
#include <QEvent>

#include <algorithm>

namespace compilescope {

InteractionMonitor::InteractionMonitor(QObject* parent)
    : QObject(parent)
{
    QCoreApplication::instance()->installEventFilter(this);
}

void InteractionMonitor::start()
{
    m_active = true;
    m_count = 0;
    m_phase.reset();
    m_phase_count = 0;
    m_notes.clear();
}

void InteractionMonitor::stop()
{
    m_active = false;
}

bool InteractionMonitor::eventFilter(QObject* watched, QEvent* event)
{
    switch (event->type()) {
    case QEvent::MouseButtonPress:
    case QEvent::KeyPress:
    case QEvent::Wheel:
        // Every input reaches its window (QWindow) once before the widgets, which may pass it up their parents.
        if (m_active && watched->isWindowType()) {
            if (m_count++ == 0 && m_notes.empty() && m_phase_count == 0)
                Q_EMIT firstInteraction();
        }
        break;
    default:
        break;
    }
    return QObject::eventFilter(watched, event);
}

Measurement InteractionMonitor::marked(Measurement measurement)
{
    const std::pair<CellKey, Phase> phase { measurement.cell, measurement.phase };
    if (!m_phase || m_phase->first != phase.first || m_phase->second != phase.second) {
        m_phase = phase;
        m_phase_count = std::exchange(m_count, 0);
        if (m_phase_count > 0) {
            m_notes.push_back({ phase,
                "interactive: the app was used while this cell and phase were measured ("
                    + std::to_string(m_phase_count)
                    + " inputs); on a machine with few cores that disturbs the timings" });
        }
    }
    if (m_phase_count > 0)
        measurement.notes.push_back(m_notes.back().second);
    return measurement;
}

void InteractionMonitor::markRun(RunResult& run) const
{
    for (Measurement& measurement : run.measurements) {
        for (const auto& [phase, note] : m_notes) {
            if (phase.first == measurement.cell && phase.second == measurement.phase
                && std::find(measurement.notes.begin(), measurement.notes.end(), note) == measurement.notes.end())
                measurement.notes.push_back(note);
        }
    }
}

} // namespace compilescope
