#include "results_table_model.h"

#include "compilescope/rerun.h"
#include "compilescope/roofline.h"
#include "compilescope/variant_names.h"

#include "display_format.h"
#include "run_store.h"
#include "theme.h"

#include <QApplication>
#include <QGuiApplication>
#include <QPalette>
#include <QStyle>

#include <cmath>

namespace compilescope {

namespace {

QString qs(const std::string& text)
{
    return QString::fromStdString(text);
}

bool isNumeric(int column)
{
    return column >= ResultsTableModel::batch && column != ResultsTableModel::status
        && column != ResultsTableModel::load && column != ResultsTableModel::correctness
        && column != ResultsTableModel::message && column != ResultsTableModel::bound;
}

} // namespace

ResultsTableModel::ResultsTableModel(const RunStore& store, QObject* parent)
    : QAbstractTableModel(parent)
    , m_store(store)
{
    connect(&store, &RunStore::runReset, this, &ResultsTableModel::onReset);
    connect(&store, &RunStore::baselineChanged, this, &ResultsTableModel::onReset);
    connect(&store, &RunStore::measurementAppended, this, &ResultsTableModel::onMeasurementAppended);
    connect(&store, &RunStore::measurementReplaced, this,
        [this](int row) { Q_EMIT dataChanged(index(row, 0), index(row, columnCount() - 1)); });
    connect(&store, &RunStore::runFinished, this, [this] {
        if (m_rows > 0)
            Q_EMIT dataChanged(index(0, 0), index(m_rows - 1, columnCount() - 1));
    });
    onReset();
}

int ResultsTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : m_rows;
}

int ResultsTableModel::columnCount(const QModelIndex& parent) const
{
    if (parent.isValid())
        return 0;
    return m_with_baseline ? column_count_with_baseline : baseline_median_ms;
}

QVariant ResultsTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Measurement& measurement = m_store.run().measurements[static_cast<size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        return display(measurement, index.column());
    case sort_role:
        return sortValue(measurement, index.column());
    case filter_role:
        return index.column() == 0 ? filterText(measurement) : QVariant();
    case Qt::TextAlignmentRole:
        return QVariant::fromValue(
            isNumeric(index.column()) ? Qt::AlignRight | Qt::AlignVCenter : Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::ForegroundRole:
        if (!measurement.ok())
            return errorColor(QGuiApplication::palette());
        return {};
    case Qt::DecorationRole:
        // The mark of a timing taken under load, beside its share: the note alone is easy to miss.
        if (index.column() == load && taken_under_load(measurement))
            return QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning);
        return {};
    case Qt::ToolTipRole: {
        QStringList lines { describeMeasurement(measurement) };
        if (!measurement.message.empty())
            lines << qs(measurement.message);
        // Why no interval is given: the row's speedup (both sides), or the measurement's own samples.
        const auto speedup = m_store.runIndex().speedupOf(measurement);
        const IntervalVerdict verdict = speedup ? speedup->interval : interval_verdict(measurement);
        if (verdict != IntervalVerdict::counts)
            lines << tr("no interval (n %1): %2").arg(measurement.stats.n).arg(noIntervalReason(verdict));
        for (const std::string& note : measurement.notes)
            lines << qs(note);
        if (!measurement.correctness.detail.empty())
            lines << tr("correctness: %1").arg(qs(measurement.correctness.detail));
        return lines.join(QLatin1Char('\n'));
    }
    default:
        return {};
    }
}

QVariant ResultsTableModel::display(const Measurement& m, int column) const
{
    const bool has_stats = m.ok() && m.stats.n > 0;
    const auto speedup
        = column >= speedup_mean && column <= speedup_ci ? m_store.runIndex().speedupOf(m) : std::nullopt;
    switch (column) {
    case workload:
        return qs(to_string(m.cell.workload));
    case phase:
        return qs(display_name(m.phase));
    case variant:
        return qs(variant_label(m.variant));
    case batch:
        return QString::number(m.cell.batch);
    case d_model:
        return QString::number(m.cell.d_model);
    case seq_len:
        return QString::number(m.cell.seq_len);
    case status:
        return qs(to_string(m.status));
    case load: {
        QStringList parts;
        if (m.load) {
            const QString share = QStringLiteral("%1%").arg(m.load->others_cpu_share * 100, 0, 'f', 0);
            parts << (taken_under_load(m) ? tr("under load (%1)").arg(share) : share);
        }
        if (was_rerun(m))
            parts << tr("re-run");
        return parts.join(QStringLiteral(" · "));
    }
    case samples:
        return has_stats ? QString::number(m.stats.n) : QString();
    case cv:
        return has_stats ? QStringLiteral("%1%").arg(m.stats.cv * 100, 0, 'f', 1) : QString();
    case speedup_mean:
        return speedup ? formatSpeedup(speedup->mean) : QString();
    case speedup_median:
        return speedup ? formatSpeedup(speedup->median) : QString();
    case speedup_ci:
        if (speedup && speedup->interval != IntervalVerdict::counts)
            return noIntervalText(speedup->interval); // docs/statistics.md: no interval from these samples
        return speedup ? QStringLiteral("%1–%2").arg(formatSpeedup(speedup->ci_low), formatSpeedup(speedup->ci_high))
                       : QString();
    case compile_ms:
        return m.compile_ms ? formatMs(*m.compile_ms) : QString();
    case first_call_ms:
        return m.first_call_ms ? formatMs(*m.first_call_ms) : QString();
    case peak_memory:
        return m.peak_memory_bytes > 0 ? formatBytes(m.peak_memory_bytes) : QString();
    case launches:
        return m.profile ? QString::number(m.profile->launches_per_iter, 'f', 0) : QString();
    case busy:
        return m.profile ? QStringLiteral("%1%").arg(m.profile->busy_share * 100, 0, 'f', 1) : QString();
    case bound: {
        const auto point = roofline_point(m_store.run(), m);
        return point
            ? tr("%1 (%2% of roof)").arg(qs(to_string(point->bound))).arg(point->fraction_of_roof * 100, 0, 'f', 1)
            : QString();
    }
    case correctness:
        if (!m.correctness.checked)
            return m.variant == eager_variant ? tr("reference") : tr("not checked");
        return (m.correctness.passed ? tr("passed") : tr("FAILED"))
            + QStringLiteral(" (rel. error %1)").arg(m.correctness.max_rel_error, 0, 'g', 2);
    case message:
        return qs(m.message);
    case baseline_median_ms:
    case baseline_ratio: {
        const double value = sortValue(m, column).toDouble();
        if (value <= 0)
            return QString();
        return column == baseline_median_ms ? formatMs(value) : formatSpeedup(value);
    }
    default: {
        const double value = sortValue(m, column).toDouble();
        return has_stats ? formatMs(value) : QString();
    }
    }
}

QVariant ResultsTableModel::sortValue(const Measurement& m, int column) const
{
    const Stats& s = m.stats;
    switch (column) {
    case batch:
        return static_cast<qlonglong>(m.cell.batch);
    case d_model:
        return static_cast<qlonglong>(m.cell.d_model);
    case seq_len:
        return static_cast<qlonglong>(m.cell.seq_len);
    case load:
        return m.load ? m.load->others_cpu_share : -1.0;
    case mean_ms:
        return s.mean_ms;
    case std_ms:
        return s.std_ms;
    case median_ms:
        return s.median_ms;
    case q1_ms:
        return s.q1_ms;
    case q3_ms:
        return s.q3_ms;
    case iqr_ms:
        return s.iqr_ms();
    case min_ms:
        return s.min_ms;
    case max_ms:
        return s.max_ms;
    case samples:
        return s.n;
    case cv:
        return s.cv;
    case speedup_mean:
    case speedup_median:
    case speedup_ci: {
        const auto speedup = m_store.runIndex().speedupOf(m);
        if (!speedup)
            return 0.0;
        if (column == speedup_ci) // an interval that does not count sorts with the missing ones
            return std::isfinite(speedup->ci_low) ? speedup->ci_low : 0.0;
        return column == speedup_median ? speedup->median : speedup->mean;
    }
    case compile_ms:
        return m.compile_ms.value_or(0.0);
    case first_call_ms:
        return m.first_call_ms.value_or(0.0);
    case peak_memory:
        return static_cast<qlonglong>(m.peak_memory_bytes);
    case launches:
        return m.profile ? m.profile->launches_per_iter : 0.0;
    case busy:
        return m.profile ? m.profile->busy_share : 0.0;
    case baseline_median_ms:
    case baseline_ratio: {
        const RunIndex* baseline = m_store.baselineIndex();
        const Measurement* before = baseline ? baseline->matching(m) : nullptr;
        // Medians, as the comparison report's ratios: the headline statistic everywhere.
        if (!before || !before->ok() || !m.ok() || m.stats.median_ms <= 0)
            return 0.0;
        return column == baseline_median_ms ? before->stats.median_ms : before->stats.median_ms / m.stats.median_ms;
    }
    default:
        return display(m, column);
    }
}

QString ResultsTableModel::filterText(const Measurement& m) const
{
    // Display names and the names the CLI and JSON use, so either can be typed; key=value for the cell's numbers
    // so "d_model=64" does not also find seq_len 64.
    QStringList words { qs(to_string(m.cell.workload)), qs(display_name(m.phase)), qs(to_string(m.phase)),
        qs(variant_label(m.variant)), qs(m.variant), QStringLiteral("batch=%1").arg(m.cell.batch),
        QStringLiteral("d_model=%1").arg(m.cell.d_model), QStringLiteral("seq_len=%1").arg(m.cell.seq_len),
        qs(to_string(m.status)) };
    if (taken_under_load(m))
        words << tr("under load");
    if (was_rerun(m))
        words << tr("re-run");
    return words.join(QLatin1Char(' '));
}

QVariant ResultsTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || (role != Qt::DisplayRole && role != Qt::ToolTipRole))
        return QAbstractTableModel::headerData(section, orientation, role);
    static const QStringList titles { tr("Workload"), tr("Phase"), tr("Variant"), tr("batch"), tr("d_model"),
        tr("seq_len"), tr("Status"), tr("Load"), tr("Mean (ms)"), tr("Std (ms)"), tr("Median (ms)"), tr("Q1 (ms)"),
        tr("Q3 (ms)"), tr("IQR (ms)"), tr("Min (ms)"), tr("Max (ms)"), tr("n"), tr("CV"), tr("Speedup (mean)"),
        tr("Speedup (median)"), tr("Median speedup 95% CI"), tr("Compile (ms)"), tr("First call (ms)"),
        tr("Memory (peak over start)"), tr("Kernels/iter"), tr("Busy"), tr("Bound"), tr("Correctness"), tr("Message"),
        tr("Comparison median (ms)"), tr("Comparison / this") };
    if (role == Qt::ToolTipRole) {
        if (section == baseline_ratio)
            return tr("The comparison run's median (File ▸ Compare) divided by this run's median: above 1.00x this run "
                      "is faster, as in the comparison report");
        if (section == baseline_median_ms)
            return tr("The median of the same cell, phase and variant in the comparison run (File ▸ Compare)");
        if (section == speedup_mean)
            return tr("Eager mean divided by this variant's mean, as the seed report computes it");
        if (section == load)
            return tr("What other processes used of the CPUs while the measurement was timed; \"under load\" (⚠) "
                      "when the timing is not the workload's alone (docs/statistics.md), \"re-run\" when Run ▸ "
                      "Re-run marked cells measured it again");
        if (section == launches)
            return tr("Kernels (CUDA) or top-level operators (CPU) per iteration, from the profiled pass");
        if (section == busy)
            return tr("Share of the median during which the GPU ran kernels (CPU: ATen operators ran), from the "
                      "profiled pass; the rest is host overhead");
        if (section == bound)
            return tr("Where the measurement sits on the roofline (Roofline tab, docs/roofline.md)");
        return {};
    }
    // The CPU profiler sees operators, not kernels, and time inside them, not a busy device (as the report says).
    if (m_store.run().config.device == Device::cpu) {
        if (section == launches)
            return tr("Ops/iter");
        if (section == busy)
            return tr("In ops");
    }
    return titles.value(section);
}

void ResultsTableModel::onMeasurementAppended(int index)
{
    // The store has appended already; rows become visible only between begin and end, as the model contract asks.
    beginInsertRows({}, m_rows, index);
    m_rows = index + 1;
    endInsertRows();
}

void ResultsTableModel::onReset()
{
    beginResetModel();
    m_rows = static_cast<int>(m_store.run().measurements.size());
    m_with_baseline = m_store.baseline() != nullptr;
    endResetModel();
}

} // namespace compilescope
