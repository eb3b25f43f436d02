// Exports that parse back, saved runs that restore the views, and bad files refused with a message.
#include <catch2/catch.hpp>

#include "chart_export.h"
#include "compilescope/reports.h"
#include "latency_chart.h"
#include "launch_options.h"
#include "main_window.h"
#include "report_view.h"
#include "results_table_model.h"
#include "results_view.h"
#include "run_export.h"
#include "run_file.h"
#include "run_store.h"
#include "scripted_session.h"
#include "settings.h"
#include "speedup_chart.h"
#include "speedup_heatmap.h"
#include "test_support.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <nlohmann/json.hpp>
#include <qcustomplot.h>
#include <sys/stat.h>

using namespace compilescope;

namespace {

QByteArray readAll(const QString& path)
{
    QFile file(path);
    REQUIRE(file.open(QIODevice::ReadOnly));
    return file.readAll();
}

void writeText(const QString& path, const QByteArray& text)
{
    QFile file(path);
    REQUIRE(file.open(QIODevice::WriteOnly));
    file.write(text);
}

} // namespace

TEST_CASE("exports write Markdown, JSON, CSV and chart images that parse", "[ui][export]")
{
    const RunResult run = test::sampleRun();
    QTemporaryDir dir;
    REQUIRE(dir.isValid());

    const QString markdown = dir.filePath(QStringLiteral("report.md"));
    REQUIRE(exportMarkdown(run, nullptr, markdown, true, ChartImageSize { 800, 500, 1.0 }).isEmpty());
    const QString text = QString::fromUtf8(readAll(markdown));
    CHECK(text.startsWith(QString::fromStdString(full_markdown(run))));
    CHECK(text.contains(QStringLiteral("## Attention Module Compilation Results")));
    // Every linked image exists beside the Markdown and decodes at the requested size.
    const QStringList images = QDir(dir.path()).entryList({ QStringLiteral("report-*.png") });
    CHECK(images.size() == 12); // latency, speedup, heatmap, roofline x 3 attention phases
    // The heatmap shows one variant: its images are named for it, one per variant (the sample has one).
    CHECK(images.contains(QStringLiteral("report-heatmap-attention-forward-torchscript.png")));
    for (const QString& image : images) {
        INFO(image.toStdString());
        CHECK(text.contains(QStringLiteral("](%1)").arg(image)));
        const QImage decoded(dir.filePath(image));
        CHECK(decoded.size() == QSize(800, 500));
    }

    const QString json = dir.filePath(QStringLiteral("run.json"));
    REQUIRE(exportJson(run, json).isEmpty());
    const RunResult parsed = parse_run_json(readAll(json).toStdString());
    CHECK(parsed.measurements.size() == run.measurements.size());
    CHECK(parsed.measurements.front().stats.mean_ms == Approx(run.measurements.front().stats.mean_ms));

    const QString csv = dir.filePath(QStringLiteral("results.csv"));
    REQUIRE(exportCsv(run, csv).isEmpty());
    const QList<QByteArray> lines = readAll(csv).trimmed().split('\n');
    CHECK(lines.size() == static_cast<int>(run.measurements.size()) + 1);
    const auto columns = lines.front().count(',');
    for (const QByteArray& line : lines)
        CHECK(line.count(',') == columns);

    RunStore store;
    store.setRun(run);
    LatencyChart chart(store);
    chart.rebuildNow();
    const QString png = dir.filePath(QStringLiteral("latency@2x.png"));
    REQUIRE(saveChartPng(chart.plot(), png, { 600, 400, 2.0 }).isEmpty());
    CHECK(QImage(png).size() == QSize(1200, 800));
    const QString pdf = dir.filePath(QStringLiteral("latency.pdf"));
    REQUIRE(saveChartPdf(chart.plot(), pdf, { 600, 400, 1.0 }).isEmpty());
    CHECK(readAll(pdf).startsWith("%PDF"));

    SECTION("an unwritable path is reported, not ignored")
    {
        const QString error = exportJson(run, dir.filePath(QStringLiteral("missing/dir/run.json")));
        CHECK(error.contains(QStringLiteral("missing/dir/run.json")));
        CHECK(saveChartPng(chart.plot(), QStringLiteral("/proc/compilescope.png"), {})
                  .contains(QStringLiteral("compilescope.png")));
    }
}

TEST_CASE("opening a saved run restores the table and the charts, and a baseline adds a ratio", "[ui][open]")
{
    QTemporaryDir dir;
    const RunResult run = test::sampleRun();
    const QString path = dir.filePath(QStringLiteral("run.json"));
    REQUIRE(exportJson(run, path).isEmpty());

    MainWindow window;
    REQUIRE(window.openRunFile(path).isEmpty());
    CHECK(window.store().runPath() == path);
    ResultsTableModel* model = window.resultsView()->model();
    CHECK(model->rowCount() == static_cast<int>(run.measurements.size()));
    CHECK(model->columnCount() == ResultsTableModel::baseline_median_ms);

    window.latencyChart()->setView({ Workload::attention, Phase::forward_backward });
    QCustomPlot* plot = window.latencyChart()->plot();
    CHECK(plot->graphCount() == 4); // d_model 16, 32 x eager, torchscript
    CHECK(plot->graph(0)->data()->size() == 2);
    window.reportView()->refreshNow();
    CHECK(window.reportView()->markdown().toStdString() == full_markdown(run));

    // The same run as its own baseline: dashed overlay curves, and every ratio is 1.00x.
    REQUIRE(window.loadBaselineFile(path).isEmpty());
    window.latencyChart()->rebuildNow();
    CHECK(plot->graphCount() == 8);
    CHECK(plot->graph(4)->pen().style() == Qt::DashLine);
    REQUIRE(model->columnCount() == ResultsTableModel::column_count_with_baseline);
    CHECK(model->data(model->index(0, ResultsTableModel::baseline_ratio)).toString() == QStringLiteral("1.00x"));
    window.speedupChart()->setView({ Workload::attention, Phase::forward });
    CHECK(window.speedupChart()->plot()->legend->itemCount() == 4);
}

TEST_CASE("only a directory that was written to becomes the dialogs' start directory", "[ui][export]")
{
    QTemporaryDir dir;
    const QString saved = dir.filePath(QStringLiteral("saved.json"));
    REQUIRE(exportJson(test::sampleRun(), saved).isEmpty());
    MainWindow window;
    REQUIRE(window.openRunFile(saved).isEmpty());
    Settings().setLastDirectory(dir.path());

    // Refused (nothing can be created in /proc): the last directory stays, so no dialog starts in /proc later.
    CHECK(window.exportJsonFile(QStringLiteral("/proc/x.json")).contains(QStringLiteral("/proc/x.json")));
    CHECK(Settings().lastDirectory() == dir.path());
    CHECK(window.store().runPath() == saved);

    QTemporaryDir other;
    const QString written = other.filePath(QStringLiteral("copy.json"));
    REQUIRE(window.exportJsonFile(written).isEmpty());
    CHECK(Settings().lastDirectory() == other.path());
    CHECK(window.store().runPath() == written);
    CHECK(Settings().recentFiles().front() == written);
}

TEST_CASE("malformed or foreign JSON is refused with a clear message", "[ui][open]")
{
    QTemporaryDir dir;
    const QString broken = dir.filePath(QStringLiteral("broken.json"));
    writeText(broken, "{ \"schema\": \"compilescope-run\", ");
    LoadedRun loaded = loadRunFile(broken);
    CHECK_FALSE(loaded.run.has_value());
    CHECK(loaded.error.contains(QStringLiteral("broken.json")));

    nlohmann::json future = nlohmann::json::parse(to_json(test::sampleRun()));
    future["schema_version"] = 999;
    const QString newer = dir.filePath(QStringLiteral("newer.json"));
    writeText(newer, QByteArray::fromStdString(future.dump()));
    loaded = loadRunFile(newer);
    CHECK_FALSE(loaded.run.has_value());
    CHECK(loaded.error.contains(QStringLiteral("newer.json")));
    CHECK(loaded.error.contains(QStringLiteral("999")));

    CHECK(loadRunFile(dir.filePath(QStringLiteral("absent.json"))).error.contains(QStringLiteral("absent.json")));

    // Through the window: refused, and the run on screen stays as it was.
    MainWindow window;
    const QString good = dir.filePath(QStringLiteral("good.json"));
    REQUIRE(exportJson(test::sampleRun(), good).isEmpty());
    REQUIRE(window.openRunFile(good).isEmpty());
    CHECK_FALSE(window.openRunFile(broken).isEmpty());
    CHECK(window.store().runPath() == good);
    CHECK(window.store().run().measurements.size() == test::sampleRun().measurements.size());
}

TEST_CASE("hostile run files are refused with a message, not a crash or a hang", "[ui][open]")
{
    // Issue 13, items 1, 2 and 15: the GUI's Open uses the core's load_run_file, as `compilescope-cli report` does.
    QTemporaryDir dir;
    const QString fifo = dir.filePath(QStringLiteral("fifo.json"));
    REQUIRE(::mkfifo(QFile::encodeName(fifo).constData(), 0600) == 0);
    const QString deep = dir.filePath(QStringLiteral("deep.json"));
    writeText(deep, "{\"schema\": " + QByteArray(100000, '[') + QByteArray(100000, ']') + "}");
    const QString overflow = dir.filePath(QStringLiteral("overflow.json"));
    writeText(overflow, "{\"a\": 1e999}");
    nlohmann::json impossible = nlohmann::json::parse(to_json(test::sampleRun()));
    impossible["measurements"][0]["cell"]["d_model"] = -5;
    const QString negative = dir.filePath(QStringLiteral("negative.json"));
    writeText(negative, QByteArray::fromStdString(impossible.dump()));

    const std::vector<std::pair<QString, QString>> cases {
        { QStringLiteral("/dev/zero"), QStringLiteral("not a regular file (a character device)") },
        { fifo, QStringLiteral("not a regular file (a FIFO)") },
        { deep, QStringLiteral("nesting deeper than 64") },
        { overflow, QStringLiteral("out of range") },
        { negative, QStringLiteral("measurements[0].cell.d_model: must be > 0, got -5") },
    };
    MainWindow window;
    for (const auto& [path, expected] : cases) {
        const LoadedRun loaded = loadRunFile(path);
        INFO(loaded.error.toStdString());
        CHECK_FALSE(loaded.run.has_value());
        CHECK(loaded.error.contains(QFileInfo(path).fileName()));
        CHECK(loaded.error.contains(expected));
        CHECK_FALSE(window.openRunFile(path).isEmpty());
    }
}

TEST_CASE("command line options for scripted runs", "[ui][cli]")
{
    const auto options = parseLaunchOptions({ QStringLiteral("compilescope"), QStringLiteral("--preset"),
        QStringLiteral("seed"), QStringLiteral("--quick"), QStringLiteral("--run"), QStringLiteral("--export-dir"),
        QStringLiteral("/tmp/out"), QStringLiteral("--quit") });
    CHECK(options.error.isEmpty());
    CHECK(options.sweep.preset == "seed");
    CHECK(options.sweep.quick);
    CHECK(options.run);
    CHECK(options.quit);
    CHECK(options.export_dir == QStringLiteral("/tmp/out"));

    CHECK(parseLaunchOptions({ QStringLiteral("compilescope"), QStringLiteral("saved.json") }).open_path
        == QStringLiteral("saved.json"));
    CHECK(parseLaunchOptions({ QStringLiteral("compilescope"), QStringLiteral("--preset"), QStringLiteral("nope") })
              .error.contains(QStringLiteral("nope")));
    CHECK_FALSE(parseLaunchOptions({ QStringLiteral("compilescope"), QStringLiteral("--bogus") }).error.isEmpty());

    // Overrides for server runs, each checked with the field and what is allowed.
    const auto server = parseLaunchOptions({ QStringLiteral("compilescope"), QStringLiteral("--device"),
        QStringLiteral("cuda"), QStringLiteral("--workload"), QStringLiteral("transformer_lm"),
        QStringLiteral("--profile"), QStringLiteral("--max-time"), QStringLiteral("0.5"), QStringLiteral("--max-iters"),
        QStringLiteral("100"), QStringLiteral("--screenshot"), QStringLiteral("/tmp/w.png") });
    CHECK(server.error.isEmpty());
    CHECK(server.screenshot == QStringLiteral("/tmp/w.png"));
    CHECK(server.replacesConfiguration());
    const SweepConfig config = cli::apply_sweep_flags(server.sweep).config;
    CHECK(config.device == Device::cuda);
    CHECK(config.workloads == std::vector<Workload> { Workload::transformer_lm });
    CHECK(config.measure.profile);
    CHECK(config.measure.max_time_s == 0.5);
    CHECK(config.measure.max_iters == 100);
    // The same flags as compilescope-cli run, with its messages: the field, the flag, what is allowed.
    CHECK(parseLaunchOptions({ QStringLiteral("compilescope"), QStringLiteral("--device"), QStringLiteral("tpu") })
              .error.contains(QStringLiteral("device (--device): unknown value 'tpu' (allowed: cpu, cuda)")));
    CHECK(parseLaunchOptions({ QStringLiteral("compilescope"), QStringLiteral("--model-batch"), QStringLiteral("1.5") })
              .error.contains(QStringLiteral("batch (--model-batch): '1.5' is not an integer")));
    const auto variants = parseLaunchOptions(
        { QStringLiteral("compilescope"), QStringLiteral("--variants"), QStringLiteral("eager,torchscript") });
    CHECK(variants.variants() == std::vector<std::string> { "eager", "torchscript" });
    CHECK_FALSE(variants.replacesConfiguration()); // ticking variants keeps the rest of the configuration
}

TEST_CASE("scripted mode refuses an export directory it cannot write before the sweep", "[ui][cli]")
{
    MainWindow window;
    LaunchOptions options;
    options.sweep.preset = "seed";
    options.run = true;
    options.quit = true;
    options.export_dir = QStringLiteral("/proc/compilescope-cannot-write-here");
    ScriptedSession session(window, options);
    QSignalSpy done(&session, &ScriptedSession::done);
    session.start();
    REQUIRE(done.count() == 1); // at once: nothing was measured
    CHECK(done.at(0).at(0).toInt() == 2);
    CHECK(window.store().run().measurements.empty());
}

TEST_CASE("scripted mode opens a run, exports it and reports done", "[ui][cli]")
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("saved.json"));
    REQUIRE(exportJson(test::sampleRun(), path).isEmpty());
    const QString out = dir.filePath(QStringLiteral("export"));

    MainWindow window;
    LaunchOptions options;
    options.open_path = path;
    options.export_dir = out;
    options.quit = true;
    ScriptedSession session(window, options);
    QSignalSpy done(&session, &ScriptedSession::done);
    session.start();
    REQUIRE(done.count() == 1);
    CHECK(done.at(0).at(0).toInt() == 0);
    for (const QString& name : { QStringLiteral("report.md"), QStringLiteral("run.json"), QStringLiteral("results.csv"),
             QStringLiteral("report-latency-attention-forward.png") })
        CHECK(QFile::exists(QDir(out).filePath(name)));

    options.open_path = dir.filePath(QStringLiteral("absent.json"));
    ScriptedSession failing(window, options);
    QSignalSpy failed(&failing, &ScriptedSession::done);
    failing.start();
    REQUIRE(failed.count() == 1);
    CHECK(failed.at(0).at(0).toInt() == 2);
}

TEST_CASE("exported heatmaps show every compiled variant, one image each", "[ui][export]")
{
    const RunResult run = test::withVariantCopy(test::sampleRun(), "torchscript", "cuda-graph");
    QTemporaryDir dir;
    QString links;
    REQUIRE(writeChartImages(run, nullptr, dir.path(), QStringLiteral("r-"), { 400, 300 }, &links).isEmpty());
    for (const char* phase : { "forward", "backward", "forward_backward" }) {
        for (const char* variant : { "torchscript", "cuda-graph" }) {
            const QString name
                = QStringLiteral("r-heatmap-attention-%1-%2.png").arg(QLatin1String(phase), QLatin1String(variant));
            INFO(name.toStdString());
            CHECK(QFile::exists(dir.filePath(name)));
            CHECK(links.contains(name));
        }
    }
}

TEST_CASE("an exported chart's title is broken for the image's width, not the screen's", "[ui][export]")
{
    RunStore store;
    store.setRun(test::sampleRun());
    SpeedupHeatmap heatmap(store); // on no screen: a narrow widget, whose title breaks into lines
    heatmap.resize(300, 300);
    heatmap.setView({ Workload::attention, Phase::forward });
    heatmap.rebuildNow();
    auto* title = qobject_cast<QCPTextElement*>(heatmap.plot()->plotLayout()->element(0, 0));
    REQUIRE(title);
    CHECK(title->text().contains(QLatin1Char('\n')));
    heatmap.fitTitle(2400);
    CHECK_FALSE(title->text().contains(QLatin1Char('\n'))); // one line fits an image 2400 pixels wide
}
