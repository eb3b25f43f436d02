// The Results tab: a filter line above the results model behind a sorting and filtering proxy in a table whose
// identifying columns stay in view while scrolling sideways. A row's context menu (and a double-click) shows the
// raw samples of its cell and phase; the context menu also exports the Chrome trace of its profiled pass.
#pragma once

#include <QWidget>

class QDialog;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace compilescope {

class FrozenColumnsTableView;
class ResultsTableModel;
class RunStore;

class ResultsView : public QWidget {
    Q_OBJECT
public:
    explicit ResultsView(const RunStore& store, QWidget* parent = nullptr);

    ResultsTableModel* model() const { return m_model; }
    QSortFilterProxyModel* proxy() const { return m_proxy; }
    FrozenColumnsTableView* table() const { return m_table; }
    /// Rows show only if their identifying columns and status contain every word typed here (any case).
    QLineEdit* filter() const { return m_filter; }

    /// Why the measurement in the run's row `row` has no trace to export; empty when it has one.
    QString traceUnavailableReason(int row) const;

    /// Copies that measurement's trace to `target`, whole or not at all; false with `error` set on failure.
    bool exportTrace(int row, const QString& target, QString& error) const;

    /// Opens a window with the raw samples of every variant of the cell and phase of the run's row `row`.
    QDialog* showSamples(int row);

private:
    void applyFilter(const QString& text);
    void showContextMenu(QTableView* view, const QPoint& at);
    /// Puts the comparison columns right after the identifying columns and status, in view without scrolling.
    void placeComparisonColumns();

    const RunStore& m_store;
    ResultsTableModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QLineEdit* m_filter;
    FrozenColumnsTableView* m_table;
};

} // namespace compilescope
