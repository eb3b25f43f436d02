// Lets some of a window's shortcuts win over its text fields. QLineEdit (and the spin boxes built on it) claims
// emacs-style keys such as Ctrl+E (end of line) and Ctrl+B through QEvent::ShortcutOverride, so an action with that
// shortcut never fires while a field has focus — a typed path once went into the seq_len list instead of Export.
#pragma once

#include <QList>
#include <QObject>
#include <QPointer>

class QAction;
class QWidget;

namespace compilescope {

class ShortcutPriority : public QObject {
    Q_OBJECT
public:
    /// While a widget of `window` has focus, the enabled `actions`' shortcuts are not given to it. Installs itself
    /// as an application event filter for as long as it lives.
    ShortcutPriority(QWidget& window, QList<QAction*> actions);
    ~ShortcutPriority() override;

    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QWidget& m_window;
    QList<QPointer<QAction>> m_actions;
};

} // namespace compilescope
