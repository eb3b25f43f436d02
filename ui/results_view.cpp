#include "results_view.h"

#include "results_table_model.h"
#include "run_store.h"

#include <QHeaderView>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace compilescope {

ResultsView::ResultsView(const RunStore& store, QWidget* parent)
    : QWidget(parent)
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

} // namespace compilescope
