#include "display_format.h"

#include "compilescope/variant_names.h"

#include <cmath>

namespace compilescope {

QString formatMs(double milliseconds)
{
    const double magnitude = std::abs(milliseconds);
    if (magnitude >= 100)
        return QString::number(milliseconds, 'f', 1);
    if (magnitude >= 1)
        return QString::number(milliseconds, 'f', 2);
    if (magnitude >= 0.01)
        return QString::number(milliseconds, 'f', 3);
    return QString::number(milliseconds, 'g', 3);
}

QString formatSpeedup(double speedup)
{
    return QString::number(speedup, 'f', 2) + QLatin1Char('x');
}

QString formatDuration(double seconds)
{
    const qint64 total = qRound64(std::max(0.0, seconds));
    if (total < 60)
        return QStringLiteral("%1 s").arg(total);
    if (total < 3600)
        return QStringLiteral("%1 min %2 s").arg(total / 60).arg(total % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1 h %2 min").arg(total / 3600).arg((total % 3600) / 60, 2, 10, QLatin1Char('0'));
}

QString formatBytes(qint64 bytes)
{
    constexpr double kib = 1024.0;
    if (bytes < kib)
        return QStringLiteral("%1 B").arg(bytes);
    if (bytes < kib * kib)
        return QStringLiteral("%1 KiB").arg(bytes / kib, 0, 'f', 1);
    if (bytes < kib * kib * kib)
        return QStringLiteral("%1 MiB").arg(bytes / (kib * kib), 0, 'f', 1);
    return QStringLiteral("%1 GiB").arg(bytes / (kib * kib * kib), 0, 'f', 2);
}

QString describeCell(const CellKey& cell)
{
    return QStringLiteral("%1 d_model=%2 seq_len=%3 batch=%4")
        .arg(QString::fromStdString(to_string(cell.workload)))
        .arg(cell.d_model)
        .arg(cell.seq_len)
        .arg(cell.batch);
}

QString describeMeasurement(const Measurement& measurement)
{
    return QStringLiteral("%1 · %2 · %3")
        .arg(describeCell(measurement.cell), QString::fromStdString(display_name(measurement.phase)),
            QString::fromStdString(variant_label(measurement.variant)));
}

} // namespace compilescope
