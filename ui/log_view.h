// The Log tab: timestamped lines from the sweep and the application.
#pragma once

#include <QPlainTextEdit>

namespace compilescope {

class LogView : public QPlainTextEdit {
    Q_OBJECT
public:
    explicit LogView(QWidget* parent = nullptr);

    void appendLine(const QString& line);
};

} // namespace compilescope
