#include "results_view.h"

#include "results_table_model.h"
#include "run_store.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QMenu>
#include <QMessageBox>
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
    , m_table(new QTableView(this))
{
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(ResultsTableModel::sort_role);
    m_proxy->setDynamicSortFilter(true);

    m_table->setObjectName(QStringLiteral("resultsTable"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(-1, Qt::AscendingOrder); // plan order until the user picks a column
    m_table->setAlternatingRowColors(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->setVisible(false);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setStretchLastSection(true);

    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_table, &QWidget::customContextMenuRequested, this, &ResultsView::showContextMenu);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_table);

    // Size columns to their content once per run, not on every appended row (that would re-measure all rows).
    connect(m_model, &QAbstractItemModel::modelReset, m_table, [this] { m_table->resizeColumnsToContents(); });
    connect(m_model, &QAbstractItemModel::rowsInserted, m_table, [this](const QModelIndex&, int first) {
        if (first == 0)
            m_table->resizeColumnsToContents();
    });
    connect(&store, &RunStore::runFinished, m_table, [this] { m_table->resizeColumnsToContents(); });
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

void ResultsView::showContextMenu(const QPoint& at)
{
    const QModelIndex index = m_proxy->mapToSource(m_table->indexAt(at));
    if (!index.isValid())
        return;
    const int row = index.row();
    QMenu menu(this);
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
    menu.exec(m_table->viewport()->mapToGlobal(at));
}

} // namespace compilescope
