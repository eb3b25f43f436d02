// A table view whose first columns stay in place while the rest scroll sideways: a second view of the same model
// and selection, showing only those columns, laid over the first (Qt's "Frozen Column" example, for n columns).
#pragma once

#include <QTableView>

namespace compilescope {

class FrozenColumnsTableView : public QTableView {
    Q_OBJECT
public:
    FrozenColumnsTableView(int frozen_columns, QWidget* parent = nullptr);

    void setModel(QAbstractItemModel* model) override;
    void setSelectionModel(QItemSelectionModel* selection_model) override;
    /// The overlay that draws the frozen columns (it receives their clicks, context menus and double-clicks).
    QTableView* frozenView() const { return m_frozen; }
    int frozenColumnCount() const { return m_frozen_columns; }

    void scrollTo(const QModelIndex& index, ScrollHint hint = EnsureVisible) override;

protected:
    void resizeEvent(QResizeEvent* event) override;
    QModelIndex moveCursor(CursorAction action, Qt::KeyboardModifiers modifiers) override;

private:
    int frozenWidth() const;
    /// Shows only the frozen columns in the overlay, as wide as below it; again after every reset of the model.
    void syncColumns();
    void updateFrozenGeometry();

    QTableView* m_frozen;
    int m_frozen_columns;
};

} // namespace compilescope
