// The Results tab: the results model behind a sorting proxy in a table view; a row's context menu exports the
// Chrome trace of its profiled pass.
#pragma once

#include <QWidget>

class QSortFilterProxyModel;
class QTableView;

namespace compilescope {

class ResultsTableModel;
class RunStore;

class ResultsView : public QWidget {
    Q_OBJECT
public:
    explicit ResultsView(const RunStore& store, QWidget* parent = nullptr);

    ResultsTableModel* model() const { return m_model; }

    /// Why the measurement in the run's row `row` has no trace to export; empty when it has one.
    QString traceUnavailableReason(int row) const;

    /// Copies that measurement's trace to `target`, whole or not at all; false with `error` set on failure.
    bool exportTrace(int row, const QString& target, QString& error) const;

private:
    void showContextMenu(const QPoint& at);

    const RunStore& m_store;
    ResultsTableModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QTableView* m_table;
};

} // namespace compilescope
