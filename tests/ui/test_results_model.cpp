// The results model obeys the QAbstractItemModel contract through appends, baselines and resets.
#include <catch2/catch.hpp>

#include "results_table_model.h"
#include "run_store.h"
#include "test_support.h"

#include <QAbstractItemModelTester>
#include <QSortFilterProxyModel>

using namespace compilescope;

namespace {

QStringList g_model_test_failures;

void recordModelTestFailures(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    if (type != QtDebugMsg && QByteArray(context.category ? context.category : "").startsWith("qt.modeltest"))
        g_model_test_failures << message;
}

} // namespace

TEST_CASE("results model passes QAbstractItemModelTester", "[ui][model]")
{
    g_model_test_failures.clear();
    const QtMessageHandler previous = qInstallMessageHandler(recordModelTestFailures);

    RunStore store;
    ResultsTableModel model(store);
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setSortRole(ResultsTableModel::sort_role);
    proxy.setDynamicSortFilter(true);
    proxy.sort(ResultsTableModel::mean_ms, Qt::DescendingOrder);
    QAbstractItemModelTester model_tester(&model, QAbstractItemModelTester::FailureReportingMode::Warning);
    QAbstractItemModelTester proxy_tester(&proxy, QAbstractItemModelTester::FailureReportingMode::Warning);

    const RunResult run = test::sampleRun();
    store.beginLiveRun(run.config, run.environment);
    for (const Measurement& measurement : run.measurements)
        store.appendMeasurement(measurement);
    store.finishLiveRun(run);
    CHECK(model.rowCount() == static_cast<int>(run.measurements.size()));

    // Sorted by the number, not the text: the largest mean first.
    const double first
        = proxy.data(proxy.index(0, ResultsTableModel::mean_ms), ResultsTableModel::sort_role).toDouble();
    for (int row = 1; row < proxy.rowCount(); ++row)
        CHECK(
            proxy.data(proxy.index(row, ResultsTableModel::mean_ms), ResultsTableModel::sort_role).toDouble() <= first);

    store.setBaseline(run, QStringLiteral("baseline.json"));
    CHECK(model.columnCount() == ResultsTableModel::column_count_with_baseline);
    store.clearBaseline();
    store.setRun(RunResult {});
    CHECK(model.rowCount() == 0);

    // A failed measurement is a row with its reason.
    RunResult with_failure = run;
    with_failure.measurements[1].status = MeasurementStatus::failed;
    with_failure.measurements[1].message = "outputs differ from eager";
    store.setRun(with_failure);
    CHECK(model.data(model.index(1, ResultsTableModel::status)).toString() == QStringLiteral("failed"));
    CHECK(model.data(model.index(1, ResultsTableModel::message)).toString()
        == QStringLiteral("outputs differ from eager"));
    CHECK(model.data(model.index(1, ResultsTableModel::mean_ms)).toString().isEmpty());

    qInstallMessageHandler(previous);
    INFO(g_model_test_failures.join(QLatin1Char('\n')).toStdString());
    CHECK(g_model_test_failures.isEmpty());
}

TEST_CASE("results model gives the filter the identifying columns and status of a row", "[ui][model]")
{
    RunStore store;
    store.setRun(test::sampleRun());
    ResultsTableModel model(store);
    const QString text = model.data(model.index(0, 0), ResultsTableModel::filter_role).toString();
    CHECK(text.contains(QStringLiteral("attention")));
    CHECK(text.contains(QStringLiteral("eager")));
    CHECK(text.contains(QStringLiteral("d_model=16")));
    CHECK(text.contains(QStringLiteral("ok")));
    CHECK(model.data(model.index(0, 1), ResultsTableModel::filter_role).isNull());
}

TEST_CASE("results model says why a speedup has no interval, in its column and its tooltip", "[ui][model][few]")
{
    RunResult run = test::sampleRun();
    // Row 1: d_model 16, seq_len 256, forward, torchscript; cut to 3 samples. Row 3: its backward, on the 4-ms grid.
    REQUIRE(run.measurements[1].variant == "torchscript");
    run.measurements[1].samples_ms.resize(3);
    run.measurements[1].stats = summarize(run.measurements[1].samples_ms);
    REQUIRE(run.measurements[3].variant == "torchscript");
    REQUIRE(run.measurements[3].phase == Phase::backward);
    run.measurements[3].samples_ms.clear();
    for (int ticks : { 11, 12, 13, 12, 11, 12, 13, 11, 12, 12 })
        run.measurements[3].samples_ms.push_back(0.1 + 4.0 * ticks);
    run.measurements[3].stats = summarize(run.measurements[3].samples_ms);
    RunStore store;
    store.setRun(run);
    ResultsTableModel model(store);
    const auto text = [&](int row, int column, int role = Qt::DisplayRole) {
        return model.data(model.index(row, column), role).toString();
    };
    CHECK(text(1, ResultsTableModel::speedup_ci) == QStringLiteral("too few samples"));
    CHECK_FALSE(text(1, ResultsTableModel::speedup_median).isEmpty()); // the ratio is still given
    CHECK(text(1, 0, Qt::ToolTipRole)
              .contains(QStringLiteral("no interval (n 3): fewer than 10 samples on a side: too few for an interval")));
    CHECK(text(3, ResultsTableModel::speedup_ci) == QStringLiteral("time-slice grid"));
    CHECK(text(3, 0, Qt::ToolTipRole).contains(QStringLiteral("time-slice grid")));
    // A counted one, and the sort value of a withheld interval: with the missing ones.
    CHECK(text(5, ResultsTableModel::speedup_ci).contains(QStringLiteral("–")));
    CHECK(model.data(model.index(1, ResultsTableModel::speedup_ci), ResultsTableModel::sort_role).toDouble() == 0.0);
}
