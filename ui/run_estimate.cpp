#include "run_estimate.h"

#include "display_format.h"
#include "machine.h"

#include <QAbstractButton>
#include <QMessageBox>
#include <QStringList>

#include <utility>

namespace compilescope {

RunEstimate estimateRun(const SweepConfig& config)
{
    return machine().estimate(config);
}

QString describeEstimate(const RunEstimate& estimate)
{
    QStringList parts;
    parts << (estimate.measurements == 1 ? QObject::tr("1 measurement")
                                         : QObject::tr("%1 measurements").arg(estimate.measurements));
    if (estimate.seconds > 0)
        parts << QString::fromStdString(estimate_duration_text(estimate));
    if (estimate.largest_memory_bytes > 0)
        parts << QObject::tr("largest cell %1 (%2)")
                     .arg(formatBytes(estimate.largest_memory_bytes), QString::fromStdString(estimate.largest_cell));
    QString text = parts.join(QStringLiteral(" · "));
    if (const std::string included = estimate_parts_text(estimate); !included.empty())
        text += QObject::tr("\nIncludes %1").arg(QString::fromStdString(included));
    if (estimate.cells_over_limit > 0)
        text += QObject::tr("\n%1 of the cells' phases need more than the %2 available and will be skipped")
                    .arg(estimate.cells_over_limit)
                    .arg(formatBytes(estimate.memory_limit_bytes));
    return text;
}

bool needsConfirmation(const RunEstimate& estimate)
{
    return estimate.seconds > confirm_run_after_s || estimate.cells_over_limit > 0;
}

bool confirmRun(QWidget* parent, const SweepConfig& config)
{
    const RunEstimate estimate = estimateRun(config);
    if (!needsConfirmation(estimate))
        return true;
    QMessageBox box(QMessageBox::Question, QObject::tr("Start a long sweep?"),
        QObject::tr("This sweep is large:\n%1\n\nThe time is an estimate from the device's speed and the measured cost "
                    "of exports and compiles on this kind of device; the sweep's progress refines it as it goes. "
                    "Quick in the Workload group measures a small grid in minutes.")
            .arg(describeEstimate(estimate)),
        QMessageBox::Ok | QMessageBox::Cancel, parent);
    box.button(QMessageBox::Ok)->setText(QObject::tr("Run anyway"));
    box.setDefaultButton(QMessageBox::Cancel);
    return box.exec() == QMessageBox::Ok;
}

} // namespace compilescope
