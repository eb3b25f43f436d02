// The Results tab: the filter, the frozen identifying columns, the comparison columns' place and the raw samples.
#include <catch2/catch.hpp>

#include "frozen_columns_table_view.h"
#include "results_table_model.h"
#include "results_view.h"
#include "run_store.h"
#include "samples_plot.h"
#include "test_support.h"

#include <QDialog>
#include <QHeaderView>
#include <QLineEdit>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <qcustomplot.h>

using namespace compilescope;

namespace {

QSet<QString> columnTexts(const QAbstractItemModel& model, int column)
{
    QSet<QString> texts;
    for (int row = 0; row < model.rowCount(); ++row)
        texts << model.data(model.index(row, column)).toString();
    return texts;
}

} // namespace

TEST_CASE("results filter keeps only rows matching every word, and sorting still works", "[ui][results]")
{
    RunStore store;
    store.setRun(test::sampleRun());
    ResultsView view(store);
    QSortFilterProxyModel* rows = view.proxy();
    const int all = rows->rowCount();
    REQUIRE(all == 24);

    view.filter()->setText(QStringLiteral("TorchScript  d_model=16"));
    CHECK(rows->rowCount() == 6); // 2 seq_len x 3 phases
    CHECK(columnTexts(*rows, ResultsTableModel::d_model) == QSet<QString> { QStringLiteral("16") });
    CHECK(columnTexts(*rows, ResultsTableModel::variant).size() == 1);

    view.table()->sortByColumn(ResultsTableModel::mean_ms, Qt::DescendingOrder);
    CHECK(rows->rowCount() == 6);
    for (int row = 1; row < rows->rowCount(); ++row)
        CHECK(rows->data(rows->index(row, ResultsTableModel::mean_ms), ResultsTableModel::sort_role).toDouble()
            <= rows->data(rows->index(row - 1, ResultsTableModel::mean_ms), ResultsTableModel::sort_role).toDouble());

    view.filter()->setText(QStringLiteral("no-such-variant"));
    CHECK(rows->rowCount() == 0);
    view.filter()->clear();
    CHECK(rows->rowCount() == all);
}

TEST_CASE("results keep the identifying columns in view while scrolling sideways", "[ui][results]")
{
    RunStore store;
    store.setRun(test::sampleRun());
    ResultsView view(store);
    view.resize(700, 400);
    view.show();
    FrozenColumnsTableView* table = view.table();
    QTableView* frozen = table->frozenView();
    REQUIRE(frozen->isVisible());
    CHECK(frozen->model() == table->model());
    CHECK(frozen->selectionModel() == table->selectionModel());
    for (int column = 0; column < table->model()->columnCount(); ++column) {
        const bool identifying = column < ResultsTableModel::identifying_column_count;
        CHECK(frozen->isColumnHidden(column) == !identifying);
        if (identifying)
            CHECK(frozen->columnWidth(column) == table->columnWidth(column));
    }

    table->horizontalScrollBar()->setValue(table->horizontalScrollBar()->maximum());
    REQUIRE(table->horizontalScrollBar()->value() > 0);
    // The overlay stays at the left edge, over the scrolled columns, and still names the rows.
    CHECK(frozen->geometry().left() <= table->frameWidth());
    CHECK(frozen->indexAt(QPoint(2, 2)).column() == ResultsTableModel::workload);

    // A sort picked on the overlay's header is the table's sort.
    frozen->horizontalHeader()->setSortIndicator(ResultsTableModel::variant, Qt::DescendingOrder);
    CHECK(table->horizontalHeader()->sortIndicatorSection() == ResultsTableModel::variant);
    CHECK(view.proxy()->sortColumn() == ResultsTableModel::variant);
}

TEST_CASE("a comparison run puts its ratio right after the identifying columns and status", "[ui][results]")
{
    RunStore store;
    const RunResult run = test::sampleRun();
    store.setRun(run);
    ResultsView view(store);
    store.setBaseline(run, QStringLiteral("comparison.json"));
    QHeaderView* header = view.table()->horizontalHeader();
    CHECK(header->visualIndex(ResultsTableModel::status) == ResultsTableModel::status);
    CHECK(header->visualIndex(ResultsTableModel::baseline_ratio) == ResultsTableModel::status + 1);
    CHECK(header->visualIndex(ResultsTableModel::baseline_median_ms) == ResultsTableModel::status + 2);
    CHECK(header->visualIndex(ResultsTableModel::load) == ResultsTableModel::status + 3);
    CHECK(header->visualIndex(ResultsTableModel::mean_ms) == ResultsTableModel::status + 4);
    CHECK(view.model()->headerData(ResultsTableModel::baseline_ratio, Qt::Horizontal).toString()
        == QStringLiteral("Comparison / this"));

    // A new run (a reset) keeps the ratio in place.
    store.setRun(run);
    CHECK(header->visualIndex(ResultsTableModel::baseline_ratio) == ResultsTableModel::status + 1);
    store.clearBaseline();
    CHECK(view.model()->columnCount() == ResultsTableModel::baseline_median_ms);
}

TEST_CASE("samples plot draws one strip of every raw sample per variant", "[ui][results][samples]")
{
    const RunResult run = test::sampleRun();
    const Measurement& first = run.measurements.front();
    SamplesPlot samples(run, first.cell, first.phase);
    CHECK(samples.variants() == std::vector<std::string> { "eager", "torchscript" });
    QCustomPlot* plot = samples.plot();
    REQUIRE(plot->graphCount() == 2);
    for (int variant = 0; variant < plot->graphCount(); ++variant) {
        CHECK(plot->graph(variant)->data()->size() == static_cast<int>(first.samples_ms.size()));
        // The jitter spreads the dots within their own column.
        for (const QCPGraphData& dot : *plot->graph(variant)->data()) {
            CHECK(dot.key > variant - 0.5);
            CHECK(dot.key < variant + 0.5);
        }
    }
    // A box with the median and quartiles per variant.
    int boxes = 0;
    for (int index = 0; index < plot->plottableCount(); ++index) {
        if (auto* box = qobject_cast<QCPStatisticalBox*>(plot->plottable(index))) {
            ++boxes;
            CHECK(box->data()->at(0)->median > 0);
        }
    }
    CHECK(boxes == 2);

    CHECK_FALSE(samples.isLogarithmic()); // 5 samples within a few percent
    samples.setLogarithmic(true);
    CHECK(samples.plot()->yAxis->scaleType() == QCPAxis::stLogarithmic);
    CHECK(samples.plot()->graphCount() == 2);
}

TEST_CASE("Show samples opens the cell and phase of a row with all its variants", "[ui][results][samples]")
{
    RunStore store;
    store.setRun(test::sampleRun());
    ResultsView view(store);
    QDialog* dialog = view.showSamples(3);
    REQUIRE(dialog != nullptr);
    auto* samples = dialog->findChild<SamplesPlot*>();
    REQUIRE(samples != nullptr);
    CHECK(samples->plot()->graphCount() == 2);
    dialog->close();
    CHECK(view.showSamples(10'000) == nullptr);
}

TEST_CASE("the profiled columns say operators and time in them on the CPU, kernels and busy on CUDA", "[ui][results]")
{
    RunStore store;
    RunResult run = test::sampleRun();
    run.config.device = Device::cpu;
    store.setRun(run);
    ResultsView view(store);
    const auto header = [&](int column) { return view.model()->headerData(column, Qt::Horizontal).toString(); };
    CHECK(header(ResultsTableModel::launches) == QStringLiteral("Ops/iter"));
    CHECK(header(ResultsTableModel::busy) == QStringLiteral("In ops"));
    run.config.device = Device::cuda;
    store.setRun(run);
    CHECK(header(ResultsTableModel::launches) == QStringLiteral("Kernels/iter"));
    CHECK(header(ResultsTableModel::busy) == QStringLiteral("Busy"));
}
