// The Results tab: the results model behind a sorting proxy in a table view.
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

private:
    ResultsTableModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QTableView* m_table;
};

} // namespace compilescope
