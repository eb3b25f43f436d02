#include "shortcut_priority.h"

#include <QAction>
#include <QApplication>
#include <QKeyEvent>
#include <QWidget>

namespace compilescope {

ShortcutPriority::ShortcutPriority(QWidget& window, QList<QAction*> actions)
    : QObject(&window)
    , m_window(window)
{
    for (QAction* action : actions)
        m_actions.append(action);
    qApp->installEventFilter(this);
}

ShortcutPriority::~ShortcutPriority()
{
    qApp->removeEventFilter(this);
}

bool ShortcutPriority::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() != QEvent::ShortcutOverride)
        return false;
    auto* widget = qobject_cast<QWidget*>(watched);
    if (!widget || widget->window() != &m_window)
        return false;
    const QKeySequence pressed(static_cast<QKeyEvent*>(event)->keyCombination());
    for (const QPointer<QAction>& action : std::as_const(m_actions)) {
        if (action && action->isEnabled() && action->shortcut() == pressed) {
            // Not delivered, so not accepted by the field: the shortcut map then triggers the action.
            event->ignore();
            return true;
        }
    }
    return false;
}

} // namespace compilescope
