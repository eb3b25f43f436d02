#include "display_format.h"

#include "compilescope/text_format.h"
#include "compilescope/variant_names.h"

namespace compilescope {

QString formatMs(double milliseconds)
{
    return QString::fromStdString(ms_text(milliseconds));
}

QString formatSpeedup(double speedup)
{
    return QString::fromStdString(speedup_text(speedup));
}

QString noIntervalText(IntervalVerdict verdict)
{
    return QString::fromStdString(no_interval_text(verdict));
}

QString noIntervalReason(IntervalVerdict verdict)
{
    return QString::fromStdString(no_interval_reason(verdict));
}

QString formatDuration(double seconds)
{
    return QString::fromStdString(duration_text(seconds));
}

QString formatBytes(qint64 bytes)
{
    return QString::fromStdString(bytes_text(bytes));
}

QString formatRate(double per_second, const QString& unit)
{
    return QString::fromStdString(rate(per_second, unit.toStdString(), TrailingZeros::dropped));
}

QString describeCell(const CellKey& cell)
{
    return QString::fromStdString(cell_label(cell, BatchInLabel::shown));
}

QString describeMeasurement(const Measurement& measurement)
{
    return QStringLiteral("%1 · %2 · %3")
        .arg(describeCell(measurement.cell), QString::fromStdString(display_name(measurement.phase)),
            QString::fromStdString(variant_label(measurement.variant)));
}

QString underLoadNote(const Measurement& measurement)
{
    return taken_under_load(measurement) ? QString::fromStdString(under_load_note(*measurement.load)) : QString();
}

} // namespace compilescope
