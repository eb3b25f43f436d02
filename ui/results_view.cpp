#include "results_view.h"

#include "display_format.h"
#include "frozen_columns_table_view.h"
#include "results_table_model.h"
#include "run_store.h"
#include "samples_plot.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace compilescope {

ResultsView::ResultsView(const RunStore& store, QWidget* parent)
    : QWidget(parent)
    , m_store(store)
    , m_model(new ResultsTableModel(store, this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_filter(new QLineEdit(this))
    , m_table(new FrozenColumnsTableView(ResultsTableModel::identifying_column_count, this))
{
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(ResultsTableModel::sort_role);
    m_proxy->setFilterRole(ResultsTableModel::filter_role);
    m_proxy->setFilterKeyColumn(0);
    m_proxy->setDynamicSortFilter(true);

    m_filter->setObjectName(QStringLiteral("resultsFilter"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setPlaceholderText(tr("Filter rows by workload, phase, variant, cell, status, \"under load\", "
                                    "\"re-run\" — e.g. forward eager d_model=64"));
    connect(m_filter, &QLineEdit::textChanged, this, &ResultsView::applyFilter);

    m_table->setObjectName(QStringLiteral("resultsTable"));
    m_table->setModel(m_proxy);
    for (QTableView* view : { static_cast<QTableView*>(m_table), m_table->frozenView() }) {
        view->setSortingEnabled(true);
        view->setAlternatingRowColors(true);
        view->setSelectionBehavior(QAbstractItemView::SelectRows);
        view->setWordWrap(false);
        view->setContextMenuPolicy(Qt::CustomContextMenu);
        connect(view, &QWidget::customContextMenuRequested, this,
            [this, view](const QPoint& at) { showContextMenu(view, at); });
        connect(view, &QAbstractItemView::doubleClicked, this,
            [this](const QModelIndex& index) { showSamples(m_proxy->mapToSource(index).row()); });
    }
    m_table->sortByColumn(-1, Qt::AscendingOrder); // plan order until the user picks a column
    m_table->verticalHeader()->setVisible(false);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setStretchLastSection(true);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_filter);
    layout->addWidget(m_table);

    // Size columns to their content once per run, not on every appended row (that would re-measure all rows).
    connect(m_model, &QAbstractItemModel::modelReset, m_table, [this] {
        m_table->resizeColumnsToContents();
        placeComparisonColumns();
    });
    connect(m_model, &QAbstractItemModel::rowsInserted, m_table, [this](const QModelIndex&, int first) {
        if (first == 0)
            m_table->resizeColumnsToContents();
    });
    connect(&store, &RunStore::runFinished, m_table, [this] { m_table->resizeColumnsToContents(); });
    placeComparisonColumns();
}

void ResultsView::applyFilter(const QString& text)
{
    // Every word must occur, in any order: one lookahead per word.
    QString pattern;
    for (const QString& word : text.split(QLatin1Char(' '), Qt::SkipEmptyParts))
        pattern += QStringLiteral("(?=.*%1)").arg(QRegularExpression::escape(word));
    m_proxy->setFilterRegularExpression(QRegularExpression(pattern, QRegularExpression::CaseInsensitiveOption));
}

void ResultsView::placeComparisonColumns()
{
    if (m_model->columnCount() != ResultsTableModel::column_count_with_baseline)
        return;
    QHeaderView* header = m_table->horizontalHeader();
    int after = header->visualIndex(ResultsTableModel::status);
    for (int column : { ResultsTableModel::baseline_ratio, ResultsTableModel::baseline_median_ms }) {
        const int from = header->visualIndex(column);
        const int to = from > after ? after + 1 : after;
        header->moveSection(from, to);
        after = header->visualIndex(column);
    }
}

QDialog* ResultsView::showSamples(int row)
{
    const auto& measurements = m_store.run().measurements;
    if (row < 0 || size_t(row) >= measurements.size())
        return nullptr;
    const Measurement& measurement = measurements[size_t(row)];
    auto* dialog = new QDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Raw samples — %1").arg(describeMeasurement(measurement)));
    auto* layout = new QVBoxLayout(dialog);
    layout->addWidget(new SamplesPlot(m_store.run(), measurement.cell, measurement.phase, dialog));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::close);
    layout->addWidget(buttons);
    dialog->resize(900, 560);
    dialog->show();
    return dialog;
}

QString ResultsView::traceUnavailableReason(int row) const
{
    const auto& measurements = m_store.run().measurements;
    if (row < 0 || size_t(row) >= measurements.size())
        return tr("no such measurement");
    const Measurement& measurement = measurements[size_t(row)];
    if (!measurement.profile)
        return tr("not profiled: tick \"Profiled pass\" under Timing and run again");
    const QString path = QString::fromStdString(measurement.profile->trace_file);
    if (path.isEmpty())
        return tr("the profiled pass kept no trace");
    if (!QFileInfo::exists(path))
        return tr("the trace is no longer at %1").arg(path);
    return {};
}

bool ResultsView::exportTrace(int row, const QString& target, QString& error) const
{
    error = traceUnavailableReason(row);
    if (!error.isEmpty())
        return false;
    QFile source(QString::fromStdString(m_store.run().measurements[size_t(row)].profile->trace_file));
    if (!source.open(QIODevice::ReadOnly)) {
        error = source.errorString();
        return false;
    }
    QSaveFile file(target);
    if (!file.open(QIODevice::WriteOnly) || file.write(source.readAll()) < 0 || !file.commit()) {
        error = file.errorString();
        return false;
    }
    return true;
}

void ResultsView::showContextMenu(QTableView* view, const QPoint& at)
{
    const QModelIndex index = m_proxy->mapToSource(view->indexAt(at));
    if (!index.isValid())
        return;
    const int row = index.row();
    QMenu menu(this);
    menu.addAction(tr("Show samples…"), this, [this, row] { showSamples(row); });
    QAction* trace = menu.addAction(tr("Export Chrome trace…"));
    const QString reason = traceUnavailableReason(row);
    if (!reason.isEmpty()) {
        trace->setEnabled(false);
        trace->setText(tr("Export Chrome trace (%1)").arg(reason));
    }
    connect(trace, &QAction::triggered, this, [this, row] {
        const QString source = QString::fromStdString(m_store.run().measurements[size_t(row)].profile->trace_file);
        const QString target = QFileDialog::getSaveFileName(this, tr("Export Chrome trace"),
            QFileInfo(source).fileName(), tr("Chrome trace, opens in Perfetto (*.json)"));
        QString error;
        if (!target.isEmpty() && !exportTrace(row, target, error))
            QMessageBox::warning(this, tr("Export Chrome trace"), tr("Could not write %1: %2").arg(target, error));
    });
    menu.exec(view->viewport()->mapToGlobal(at));
}

} // namespace compilescope
