#include "log_view.h"

#include <QFontDatabase>
#include <QScrollBar>
#include <QTime>

namespace compilescope {

LogView::LogView(QWidget* parent)
    : QPlainTextEdit(parent)
{
    setObjectName(QStringLiteral("log"));
    setReadOnly(true);
    setMaximumBlockCount(20000);
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setLineWrapMode(QPlainTextEdit::NoWrap);
}

void LogView::appendLine(const QString& line)
{
    appendPlainText(QTime::currentTime().toString(QStringLiteral("HH:mm:ss  ")) + line);
    // Following the new line's end would scroll a long line sideways and hide every timestamp.
    horizontalScrollBar()->setValue(horizontalScrollBar()->minimum());
}

} // namespace compilescope
