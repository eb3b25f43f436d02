#include "frozen_columns_table_view.h"

#include <QHeaderView>
#include <QScrollBar>

namespace compilescope {

FrozenColumnsTableView::FrozenColumnsTableView(int frozen_columns, QWidget* parent)
    : QTableView(parent)
    , m_frozen(new QTableView(this))
    , m_frozen_columns(frozen_columns)
{
    m_frozen->setObjectName(QStringLiteral("frozenColumns"));
    m_frozen->setFocusPolicy(Qt::NoFocus);
    m_frozen->verticalHeader()->hide();
    m_frozen->horizontalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_frozen->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_frozen->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // A line at its right edge: columns scrolling under the overlay would otherwise seem to continue its last one.
    m_frozen->setStyleSheet(QStringLiteral("QTableView { border: none; border-right: 2px solid palette(mid); }"));
    // Per-pixel scrolling keeps the rows of both views aligned; the overlay is drawn above the viewport.
    setHorizontalScrollMode(ScrollPerPixel);
    setVerticalScrollMode(ScrollPerPixel);
    m_frozen->setVerticalScrollMode(ScrollPerPixel);
    viewport()->stackUnder(m_frozen);

    connect(horizontalHeader(), &QHeaderView::sectionResized, this, [this](int column, int, int width) {
        if (column < m_frozen_columns) {
            m_frozen->setColumnWidth(column, width);
            updateFrozenGeometry();
        }
    });
    connect(verticalHeader(), &QHeaderView::sectionResized, this,
        [this](int row, int, int height) { m_frozen->setRowHeight(row, height); });
    connect(
        m_frozen->verticalScrollBar(), &QAbstractSlider::valueChanged, verticalScrollBar(), &QAbstractSlider::setValue);
    connect(
        verticalScrollBar(), &QAbstractSlider::valueChanged, m_frozen->verticalScrollBar(), &QAbstractSlider::setValue);
    // One sort order, whichever header was clicked.
    connect(m_frozen->horizontalHeader(), &QHeaderView::sortIndicatorChanged, horizontalHeader(),
        &QHeaderView::setSortIndicator);
    connect(horizontalHeader(), &QHeaderView::sortIndicatorChanged, m_frozen->horizontalHeader(),
        &QHeaderView::setSortIndicator);
}

void FrozenColumnsTableView::setModel(QAbstractItemModel* model)
{
    QTableView::setModel(model);
    m_frozen->setModel(model);
    m_frozen->setSelectionModel(selectionModel());
    // Connected after both views, so this runs once their headers have taken the new columns.
    connect(model, &QAbstractItemModel::modelReset, this, &FrozenColumnsTableView::syncColumns);
    connect(model, &QAbstractItemModel::columnsInserted, this, &FrozenColumnsTableView::syncColumns);
    connect(model, &QAbstractItemModel::columnsRemoved, this, &FrozenColumnsTableView::syncColumns);
    syncColumns();
}

void FrozenColumnsTableView::setSelectionModel(QItemSelectionModel* selection_model)
{
    QTableView::setSelectionModel(selection_model);
    // QTableView::setModel() comes here before the overlay has the new model; setModel() shares it then.
    if (m_frozen->model() == selection_model->model())
        m_frozen->setSelectionModel(selection_model);
}

void FrozenColumnsTableView::syncColumns()
{
    if (!model())
        return;
    for (int column = 0; column < model()->columnCount(); ++column) {
        m_frozen->setColumnHidden(column, column >= m_frozen_columns);
        if (column < m_frozen_columns)
            m_frozen->setColumnWidth(column, columnWidth(column));
    }
    m_frozen->verticalHeader()->setDefaultSectionSize(verticalHeader()->defaultSectionSize());
    updateFrozenGeometry();
}

int FrozenColumnsTableView::frozenWidth() const
{
    int width = 0;
    for (int column = 0; column < m_frozen_columns; ++column)
        width += columnWidth(column);
    return width;
}

void FrozenColumnsTableView::updateFrozenGeometry()
{
    const int left = (verticalHeader()->isVisible() ? verticalHeader()->width() : 0) + frameWidth();
    m_frozen->setGeometry(left, frameWidth(), frozenWidth(), viewport()->height() + horizontalHeader()->height());
}

void FrozenColumnsTableView::resizeEvent(QResizeEvent* event)
{
    QTableView::resizeEvent(event);
    updateFrozenGeometry();
}

QModelIndex FrozenColumnsTableView::moveCursor(CursorAction action, Qt::KeyboardModifiers modifiers)
{
    const QModelIndex current = QTableView::moveCursor(action, modifiers);
    // Moving left into a column hidden under the overlay scrolls it out from under it.
    if (action == MoveLeft && current.column() >= m_frozen_columns && visualRect(current).left() < frozenWidth())
        horizontalScrollBar()->setValue(horizontalScrollBar()->value() + visualRect(current).left() - frozenWidth());
    return current;
}

void FrozenColumnsTableView::scrollTo(const QModelIndex& index, ScrollHint hint)
{
    if (index.column() >= m_frozen_columns)
        return QTableView::scrollTo(index, hint);
    // The frozen columns are always in view: scroll to the row, but leave the others where they are sideways.
    const int horizontal = horizontalScrollBar()->value();
    QTableView::scrollTo(index, hint);
    horizontalScrollBar()->setValue(horizontal);
}

} // namespace compilescope
