// A Markdown export with chart images keeps the event loop turning: the charts are drawn on the GUI thread one at a
// time, their PNGs encoded and written on worker threads (markdown_export.h); the files are whole when it finishes.
#include <catch2/catch.hpp>

#include "main_window.h"
#include "markdown_export.h"
#include "report_chart_images.h"
#include "run_export.h"
#include "run_file.h"
#include "test_support.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QPointer>
#include <QProgressDialog>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <iostream>

using namespace compilescope;

namespace {

/// The sample run with four compiled variants: 3 phases x (latency, speedup, roofline and 4 heatmaps), 21 images.
RunResult runOfManyImages()
{
    RunResult run = test::sampleRun();
    for (const char* variant : { "cuda-graph", "fused-sdpa", "aot-inductor" })
        run = test::withVariantCopy(run, "torchscript", variant);
    return run;
}

/// The run to export in the bench: $COMPILESCOPE_BENCH_RUN (a run file) or runOfManyImages().
RunResult benchRun()
{
    const QString path = qEnvironmentVariable("COMPILESCOPE_BENCH_RUN");
    if (path.isEmpty())
        return runOfManyImages();
    LoadedRun loaded = loadRunFile(path);
    REQUIRE(loaded.error.toStdString().empty());
    return *loaded.run;
}

struct ExportOutcome {
    QString error;
    bool cancelled = false;
    qint64 worst_gap_ms = 0; ///< the longest the event loop went without turning, less the wait for a CPU
    qint64 wall_ms = 0;
};

/// Runs `markdown` to its end under an event-loop probe; `on_progress` runs at each image written.
ExportOutcome runExport(MarkdownExport& markdown, const std::function<void(int)>& on_progress = {})
{
    QSignalSpy finished(&markdown, &MarkdownExport::finished);
    if (on_progress)
        QObject::connect(&markdown, &MarkdownExport::progress, [&](int written, int) { on_progress(written); });
    test::EventLoopProbe probe;
    QElapsedTimer clock;
    clock.start();
    probe.start();
    markdown.start();
    REQUIRE(test::waitUntil([&] { return finished.count() == 1; }, 60000 * test::time_factor));
    probe.stop();
    return { finished.at(0).at(0).toString(), finished.at(0).at(1).toBool(), probe.worstBlockedGapMs(),
        clock.elapsed() };
}

/// The files QSaveFile leaves while it writes (`name.XXXXXX`): none may remain once an export has finished.
QStringList unfinishedFiles(const QString& directory)
{
    QStringList unfinished;
    for (const QString& name : QDir(directory).entryList(QDir::Files)) {
        if (!name.endsWith(QStringLiteral(".png")) && !name.endsWith(QStringLiteral(".md")))
            unfinished << name;
    }
    return unfinished;
}

} // namespace

TEST_CASE("a Markdown export with charts keeps the event loop turning and leaves whole files", "[ui][export]")
{
    const RunResult run = runOfManyImages();
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("report.md"));
    const ChartImageSize size { 1200, 700, 1.0, true };

    // The same images written in one go on this thread: the time the event loop stood still before.
    QTemporaryDir blocking_dir;
    QElapsedTimer clock;
    clock.start();
    REQUIRE(exportMarkdown(run, nullptr, blocking_dir.filePath(QStringLiteral("report.md")), true, size).isEmpty());
    const qint64 blocking_ms = clock.elapsed();

    MarkdownExport markdown(run, nullptr, {}, path, true, size);
    REQUIRE(markdown.imageCount() == 21);
    std::vector<int> progress;
    const ExportOutcome outcome = runExport(markdown, [&](int written) { progress.push_back(written); });
    INFO("blocking export " << blocking_ms << " ms; background export " << outcome.wall_ms
                            << " ms, the event loop's longest stall " << outcome.worst_gap_ms << " ms");
    CHECK(outcome.error.isEmpty());
    CHECK_FALSE(outcome.cancelled);
    // One image at a time on this thread: a stall is one chart's drawing, a fraction of the whole.
    CHECK(outcome.worst_gap_ms * 3 < blocking_ms);
    CHECK(progress.size() == 21);
    CHECK(progress.back() == 21);
    CHECK(markdown.writtenImageCount() == 21);

    // The report is the blocking export's, and links images that are all there, whole, at the size asked for.
    QFile report(path);
    REQUIRE(report.open(QIODevice::ReadOnly));
    QFile blocking_report(blocking_dir.filePath(QStringLiteral("report.md")));
    REQUIRE(blocking_report.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(report.readAll());
    CHECK(text == QString::fromUtf8(blocking_report.readAll()));
    const QStringList images = QDir(dir.path()).entryList({ QStringLiteral("*.png") });
    CHECK(images == QDir(blocking_dir.path()).entryList({ QStringLiteral("*.png") }));
    CHECK(images.size() == 21);
    for (const QString& image : images) {
        INFO(image.toStdString());
        CHECK(text.contains(QStringLiteral("](%1)").arg(image)));
        CHECK(QImage(dir.filePath(image)).size() == QSize(1200, 700));
    }
    CHECK(unfinishedFiles(dir.path()).isEmpty());
}

TEST_CASE("a cancelled Markdown export writes no report and leaves only whole images", "[ui][export]")
{
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("report.md"));
    MarkdownExport markdown(runOfManyImages(), nullptr, {}, path, true, { 600, 400 });
    const ExportOutcome outcome = runExport(markdown, [&](int written) {
        if (written == 2)
            markdown.cancel();
    });
    CHECK(outcome.error.isEmpty());
    CHECK(outcome.cancelled);
    CHECK_FALSE(QFile::exists(path));
    const QStringList images = QDir(dir.path()).entryList({ QStringLiteral("*.png") });
    CHECK(images.size() == markdown.writtenImageCount());
    CHECK(images.size() >= 2);
    CHECK(images.size() < markdown.imageCount());
    for (const QString& image : images)
        CHECK(QImage(dir.filePath(image)).size() == QSize(600, 400));
    CHECK(unfinishedFiles(dir.path()).isEmpty());
}

TEST_CASE("a Markdown export that cannot write an image names it and writes no report", "[ui][export]")
{
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("report.md"));
    // A folder where an image should go: the file cannot take its name, whoever runs the test (root included).
    const QString blocked = dir.filePath(QStringLiteral("report-speedup-attention-backward.png"));
    REQUIRE(QDir().mkpath(blocked));
    MarkdownExport markdown(runOfManyImages(), nullptr, {}, path, true, { 600, 400 });
    const ExportOutcome outcome = runExport(markdown);
    CHECK_FALSE(outcome.cancelled);
    CHECK(outcome.error.contains(blocked));
    CHECK_FALSE(QFile::exists(path));
    CHECK(unfinishedFiles(dir.path()).isEmpty());
}

TEST_CASE("a Markdown export without charts writes the report alone", "[ui][export]")
{
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const RunResult run = test::sampleRun();
    const QString path = dir.filePath(QStringLiteral("report.md"));
    MarkdownExport markdown(run, nullptr, {}, path, false, {});
    CHECK(markdown.imageCount() == 0);
    const ExportOutcome outcome = runExport(markdown);
    CHECK(outcome.error.isEmpty());
    QFile report(path);
    REQUIRE(report.open(QIODevice::ReadOnly));
    CHECK(report.readAll().toStdString() == reportMarkdown(run, nullptr, {}));
    CHECK(QDir(dir.path()).entryList(QDir::Files) == QStringList { QStringLiteral("report.md") });
}

TEST_CASE(
    "File ▸ Export Markdown returns to the event loop at once and says when the files are written", "[ui][export]")
{
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    MainWindow window;
    window.setConfirmDiscard(false);
    const QString saved = dir.filePath(QStringLiteral("run.json"));
    REQUIRE(exportJson(test::sampleRun(), saved).isEmpty());
    REQUIRE(window.openRunFile(saved).isEmpty());
    const QString path = dir.filePath(QStringLiteral("report.md"));
    QPointer<MarkdownExport> markdown = window.startMarkdownExport(path);
    REQUIRE(markdown);
    CHECK(markdown->imageCount() == 12); // chart PNGs beside the Markdown are on by default
    CHECK_FALSE(QFile::exists(path)); // nothing was drawn yet: the window is the user's while it is
    REQUIRE(test::waitUntil([&] { return markdown.isNull(); }, 60000 * test::time_factor)); // gone once finished
    CHECK(QDir(dir.path()).entryList({ QStringLiteral("report-*.png") }).size() == 12);
    CHECK(QFile::exists(path));
    auto* status = window.findChild<QLabel*>(QStringLiteral("sweepStatus"));
    REQUIRE(status);
    CHECK(status->text() == QStringLiteral("Wrote %1").arg(path));
}

TEST_CASE("Cancel in the Markdown export's progress dialog stops it before the report", "[ui][export]")
{
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    MainWindow window;
    window.setConfirmDiscard(false);
    const QString saved = dir.filePath(QStringLiteral("run.json"));
    REQUIRE(exportJson(runOfManyImages(), saved).isEmpty());
    REQUIRE(window.openRunFile(saved).isEmpty());
    const QString path = dir.filePath(QStringLiteral("report.md"));
    QPointer<MarkdownExport> markdown = window.startMarkdownExport(path);
    REQUIRE(markdown);
    QPointer<QProgressDialog> dialog = window.findChild<QProgressDialog*>(QStringLiteral("markdownExportProgress"));
    REQUIRE(dialog);
    CHECK(dialog->maximum() == 21);
    CHECK_FALSE(dialog->isModal()); // the window stays in use
    // The user presses Cancel once the first image is on disk.
    auto* cancel = dialog->findChild<QPushButton*>();
    REQUIRE(cancel);
    QObject::connect(markdown, &MarkdownExport::progress, cancel, [&](int written) {
        if (written == 1)
            cancel->click();
    });
    REQUIRE(test::waitUntil([&] { return markdown.isNull() && dialog.isNull(); }, 30000 * test::time_factor));
    CHECK_FALSE(QFile::exists(path));
    const auto written = QDir(dir.path()).entryList({ QStringLiteral("report-*.png") }).size();
    CHECK(written >= 1);
    CHECK(written < 21);
    auto* status = window.findChild<QLabel*>(QStringLiteral("sweepStatus"));
    REQUIRE(status);
    CHECK(status->text()
        == QStringLiteral("Cancelled: %1 not written (%2 of 21 chart images were)").arg(path).arg(written));
}

// By hand: COMPILESCOPE_BENCH_RUN=docs/results/cpu-race.json build/bin/ui_tests "[export-bench]"
TEST_CASE("bench: the event loop's longest stall during a Markdown export with charts", "[.][export-bench]")
{
    const RunResult run = benchRun();
    const ChartImageSize size { 1200, 700, 1.0, true }; // the export dialog's default size, for documents
    QTemporaryDir blocking_dir;
    QElapsedTimer clock;
    clock.start();
    REQUIRE(exportMarkdown(run, nullptr, blocking_dir.filePath(QStringLiteral("report.md")), true, size).isEmpty());
    const qint64 blocking_ms = clock.elapsed();
    const auto images = QDir(blocking_dir.path()).entryList({ QStringLiteral("*.png") }).size();
    std::cout << "blocking exportMarkdown: " << images << " images, the event loop stood still " << blocking_ms
              << " ms\n";

    QTemporaryDir dir;
    MarkdownExport markdown(run, nullptr, {}, dir.filePath(QStringLiteral("report.md")), true, size);
    const ExportOutcome outcome = runExport(markdown);
    REQUIRE(outcome.error.toStdString().empty());
    std::cout << "MarkdownExport: " << markdown.imageCount() << " images in " << outcome.wall_ms
              << " ms, the event loop's longest stall " << outcome.worst_gap_ms << " ms\n";

    // Where the time goes: drawing (GUI thread) and encoding (a worker's).
    qint64 slowest_draw_ms = 0;
    qint64 draw_ms = 0;
    qint64 encode_ms = 0;
    ReportChartImages report_images(run, nullptr, QStringLiteral("r-"), size);
    for (int index = 0; index < report_images.count(); ++index) {
        clock.restart();
        const QImage image = report_images.render(index);
        const qint64 drawn = clock.restart();
        REQUIRE(writePngAtomically(image, dir.filePath(report_images.fileName(index))).isEmpty());
        encode_ms += clock.elapsed();
        draw_ms += drawn;
        slowest_draw_ms = std::max(slowest_draw_ms, drawn);
    }
    std::cout << "one after the other: drawing " << draw_ms << " ms (slowest " << slowest_draw_ms
              << " ms), encoding and writing " << encode_ms << " ms\n";
}
