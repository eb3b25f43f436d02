// The main window as a user meets it: mnemonics, shortcuts inside text fields, the run history and the question
// before a run is discarded, what a cancelled sweep says, the elapsed time, the Help texts, the file dialogs.
#include <catch2/catch.hpp>

#include "compilescope/sweep_events.h"
#include "compilescope/sweep_plan.h"
#include "config_panel.h"
#include "file_dialog.h"
#include "help_texts.h"
#include "main_window.h"
#include "run_controls.h"
#include "run_export.h"
#include "run_history.h"
#include "run_store.h"
#include "sweep_controller.h"
#include "test_support.h"

#include <QAbstractButton>
#include <QAbstractSpinBox>
#include <QAction>
#include <QApplication>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <thread>

using namespace compilescope;

namespace {

constexpr int sweep_timeout_ms = 240000;

/// The mnemonic letter of a menu or tab text ("E&xport" → 'x', lower case), or a null QChar; "&&" is a literal &.
QChar mnemonic(const QString& text)
{
    for (qsizetype i = 0; i + 1 < text.size(); ++i) {
        if (text[i] != QLatin1Char('&'))
            continue;
        if (text[i + 1] == QLatin1Char('&')) {
            ++i;
            continue;
        }
        return text[i + 1].toLower();
    }
    return {};
}

/// Points the history ($XDG_DATA_HOME) at a temporary directory for as long as it lives.
class TemporaryDataHome {
public:
    TemporaryDataHome()
        : m_previous(qgetenv("XDG_DATA_HOME"))
    {
        REQUIRE(m_dir.isValid());
        qputenv("XDG_DATA_HOME", m_dir.path().toUtf8());
    }
    ~TemporaryDataHome() { qputenv("XDG_DATA_HOME", m_previous); }
    QString path() const { return m_dir.path(); }

private:
    QTemporaryDir m_dir;
    QByteArray m_previous;
};

/// Answers the next modal message box with `button`, recording its texts.
struct MessageBoxAnswer {
    QString text;
    QString informative;
    bool seen = false;

    void answerNext(QMessageBox::StandardButton button)
    {
        seen = false;
        QTimer::singleShot(0, [this, button] { answer(button); });
    }

private:
    void answer(QMessageBox::StandardButton button)
    {
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        if (!box) { // not shown yet
            QTimer::singleShot(20, [this, button] { answer(button); });
            return;
        }
        seen = true;
        text = box->text();
        informative = box->informativeText();
        box->button(button)->click();
    }
};

std::unique_ptr<MainWindow> readyWindow(const SweepConfig& config)
{
    auto window = std::make_unique<MainWindow>();
    window->show();
    REQUIRE(test::waitUntil([&] { return window->hasCapabilities(); }, 60000));
    window->configPanel()->setConfig(config);
    return window;
}

} // namespace

TEST_CASE("every menu, menu item and tab has a mnemonic that does not clash", "[ui][menus]")
{
    MainWindow window;
    QSet<QChar> top_level;
    auto addTopLevel = [&](const QString& text) {
        INFO("top level: " << text.toStdString());
        const QChar letter = mnemonic(text);
        CHECK_FALSE(letter.isNull());
        CHECK_FALSE(top_level.contains(letter));
        top_level.insert(letter);
    };
    // The tabs' mnemonics are window-wide Alt shortcuts, like the menu bar's.
    auto* tabs = window.findChild<QTabWidget*>(QStringLiteral("tabs"));
    REQUIRE(tabs);
    for (int i = 0; i < tabs->count(); ++i)
        addTopLevel(tabs->tabText(i));

    std::function<void(QMenu*)> checkMenu = [&](QMenu* menu) {
        QSet<QChar> letters;
        for (QAction* action : menu->actions()) {
            if (action->isSeparator())
                continue;
            INFO("menu " << menu->title().toStdString() << ", item " << action->text().toStdString());
            const QChar letter = mnemonic(action->text());
            CHECK_FALSE(letter.isNull());
            CHECK_FALSE(letters.contains(letter));
            letters.insert(letter);
            if (action->menu())
                checkMenu(action->menu());
        }
    };
    for (QAction* action : window.menuBar()->actions()) {
        addTopLevel(action->text());
        REQUIRE(action->menu());
        checkMenu(action->menu());
    }
    CHECK(top_level.size() >= 11); // File, Run, Chart, Help and seven tabs
}

TEST_CASE("Ctrl+E exports even when a text field or spin box has focus", "[ui][shortcuts]")
{
    MainWindow window;
    window.setConfirmDiscard(false);
    window.show();
    window.activateWindow();
    REQUIRE(QTest::qWaitForWindowActive(&window));
    auto* export_action = window.findChild<QAction*>(QStringLiteral("exportMarkdownAction"));
    REQUIRE(export_action);
    REQUIRE(export_action->shortcut() == QKeySequence(Qt::CTRL | Qt::Key_E));
    QSignalSpy triggered(export_action, &QAction::triggered);
    // With nothing to export, the action answers with a message box: close it.
    MessageBoxAnswer answer;

    QWidget* seq_lens = window.configPanel()->findChild<QWidget*>(QStringLiteral("attention.seq_len"));
    REQUIRE(seq_lens);
    auto* line_edit = seq_lens->findChild<QLineEdit*>();
    REQUIRE(line_edit);
    line_edit->setFocus();
    REQUIRE(test::waitUntil([&] { return line_edit->hasFocus(); }, 2000));
    const QString text = line_edit->text();
    line_edit->setCursorPosition(0);
    answer.answerNext(QMessageBox::Ok);
    QTest::keyClick(line_edit, Qt::Key_E, Qt::ControlModifier);
    CHECK(triggered.count() == 1);
    CHECK(answer.seen);
    CHECK(line_edit->text() == text); // nothing typed into the list
    // Not checked: the cursor position. The message box's modal loop hands the focus back to the field, which may
    // place its cursor anew (seen once in 217 tests under a parallel ctest: at the end, with the text unchanged).

    QAbstractSpinBox* spin_box = nullptr;
    for (QAbstractSpinBox* candidate : window.configPanel()->findChildren<QAbstractSpinBox*>()) {
        if (candidate->isVisible() && candidate->isEnabled())
            spin_box = candidate;
    }
    REQUIRE(spin_box);
    // The message box took the activation; give it back.
    window.activateWindow();
    REQUIRE(QTest::qWaitForWindowActive(&window));
    spin_box->setFocus();
    REQUIRE(test::waitUntil([&] { return spin_box->hasFocus(); }, 2000));
    const QString value = spin_box->text();
    answer.answerNext(QMessageBox::Ok);
    QTest::keyClick(spin_box, Qt::Key_E, Qt::ControlModifier);
    CHECK(triggered.count() == 2);
    CHECK(spin_box->text() == value);

    // Ordinary typing still reaches the field.
    line_edit->setFocus();
    line_edit->setCursorPosition(0);
    QTest::keyClick(line_edit, Qt::Key_End);
    CHECK(line_edit->cursorPosition() == line_edit->text().size());
}

TEST_CASE("a finished sweep is kept in the history, and discarding it asks first", "[ui][history]")
{
    TemporaryDataHome data_home;
    auto window = readyWindow(test::tinySweep());
    QSignalSpy ended(window.get(), &MainWindow::sweepEnded);
    REQUIRE(window->startSweep());
    REQUIRE(ended.wait(sweep_timeout_ms));

    const QString copy = window->historyCopyPath();
    REQUIRE_FALSE(copy.isEmpty());
    CHECK(copy.startsWith(data_home.path()));
    CHECK(QFileInfo::exists(copy));
    const QList<HistoryEntry> entries = window->history().entries();
    REQUIRE(entries.size() == 1);
    CHECK(entries.front().path == copy);
    CHECK(entries.front().workloads == QStringLiteral("attention"));
    CHECK(entries.front().device == QStringLiteral("cpu"));
    CHECK(entries.front().finished_measurements == 12);
    auto* history_menu = window->findChild<QMenu*>(QStringLiteral("historyMenu"));
    REQUIRE(history_menu);
    CHECK(history_menu->actions().front()->text().contains(QStringLiteral("12 measurements")));
    CHECK(history_menu->actions().front()->toolTip() == copy);
    CHECK(window->hasUnexportedRun());
    CHECK(window->windowTitle().contains(QStringLiteral("not exported")));

    // Quit: the question names the history copy; Cancel keeps the window.
    MessageBoxAnswer answer;
    answer.answerNext(QMessageBox::Cancel);
    CHECK_FALSE(window->close());
    CHECK(answer.seen);
    CHECK(answer.informative.contains(copy));
    CHECK(window->isVisible());

    // Ctrl+R on the finished run asks too; Cancel starts nothing.
    answer.answerNext(QMessageBox::Cancel);
    CHECK_FALSE(window->startSweep());
    CHECK(answer.seen);
    CHECK_FALSE(window->isSweepRunning());

    // Once exported as JSON it is the file's run: no question, the title names the file.
    QTemporaryDir dir;
    const QString exported = dir.filePath(QStringLiteral("mine.json"));
    REQUIRE(window->exportJsonFile(exported).isEmpty());
    CHECK_FALSE(window->hasUnexportedRun());
    CHECK(window->windowTitle().startsWith(QStringLiteral("mine.json")));
    CHECK(window->close());
}

TEST_CASE("the history keeps the newest runs and leaves other files alone", "[ui][history]")
{
    QTemporaryDir dir;
    RunHistory history(dir.filePath(QStringLiteral("history")));
    RunResult run = test::sampleRun();
    QString error;
    for (int i = 0; i < RunHistory::kept_runs + 2; ++i) {
        run.started_at
            = QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC).addSecs(60 * i).toString(Qt::ISODate).toStdString();
        REQUIRE_FALSE(history.save(run, &error).isEmpty());
    }
    // Two runs that started in the same second are both kept.
    REQUIRE_FALSE(history.save(run, &error).isEmpty());
    const QString foreign = QDir(history.directory()).filePath(QStringLiteral("notes.json"));
    REQUIRE(exportJson(run, foreign).isEmpty());
    REQUIRE_FALSE(history.save(run, &error).isEmpty());

    const QList<HistoryEntry> entries = history.entries();
    REQUIRE(entries.size() == RunHistory::kept_runs);
    CHECK(entries.front().started == QDateTime(QDate(2026, 1, 1), QTime(0, 51), Qt::UTC));
    CHECK(entries.front().finished_measurements == static_cast<int>(run.measurements.size()));
    // A name from before the planned count was recorded still reads, as a whole run.
    const QString old = QDir(history.directory()).filePath(QStringLiteral("20270101T000000Z-attention-cpu-7.json"));
    REQUIRE(exportJson(run, old).isEmpty());
    CHECK(history.entries().front().finished_measurements == 7);
    CHECK_FALSE(history.entries().front().partial());
    CHECK(entries.back().started > QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC)); // the oldest went
    CHECK(QFileInfo::exists(foreign));

    RunHistory unwritable(QStringLiteral("/proc/compilescope-history"));
    CHECK(unwritable.save(run, &error).isEmpty());
    CHECK(error.contains(QStringLiteral("/proc/compilescope-history")));
}

TEST_CASE("a cancelled sweep counts only finished measurements", "[ui][sweep][cancel]")
{
    TemporaryDataHome data_home;
    SweepConfig config = test::tinySweep();
    config.attention.seq_lens = { 32, 64, 128, 256, 512 };
    config.measure.fixed_iters = 30;
    auto window = readyWindow(config);
    window->setConfirmDiscard(false);
    auto* status = window->runControls()->findChild<QLabel*>(QStringLiteral("sweepStatus"));
    auto* bar = window->runControls()->findChild<QProgressBar*>(QStringLiteral("sweepProgress"));
    REQUIRE(status);
    REQUIRE(bar);
    const int planned = planned_measurements(config);

    SECTION("cancelled after some finished")
    {
        QSignalSpy measurements(window->controller(), &SweepController::measurementFinished);
        QSignalSpy ended(window.get(), &MainWindow::sweepEnded);
        REQUIRE(window->startSweep());
        REQUIRE(test::waitUntil([&] { return measurements.count() >= 2; }, sweep_timeout_ms));
        window->cancelSweep();
        REQUIRE(ended.wait(sweep_timeout_ms));
        const int finished = finished_measurements(window->store().run());
        REQUIRE(finished >= 2);
        REQUIRE(finished < planned);
        CHECK(status->text().startsWith(
            QStringLiteral("Cancelled: %1 of %2 measurements finished").arg(finished).arg(planned)));
        CHECK(bar->value() == finished);
        CHECK(bar->maximum() == planned);
        CHECK_FALSE(window->historyCopyPath().isEmpty());
    }
    SECTION("cancelled before any finished")
    {
        QSignalSpy ended(window.get(), &MainWindow::sweepEnded);
        REQUIRE(window->startSweep());
        window->cancelSweep();
        REQUIRE(ended.wait(sweep_timeout_ms));
        REQUIRE(finished_measurements(window->store().run()) == 0);
        CHECK(status->text() == QStringLiteral("Cancelled before any measurement finished"));
        CHECK(window->statusBar()->currentMessage() == status->text());
        CHECK(bar->value() == 0);
        CHECK(window->historyCopyPath().isEmpty()); // nothing worth keeping
        CHECK_FALSE(window->hasUnexportedRun());
    }
}

TEST_CASE("the elapsed time ticks every second between progress reports", "[ui][progress]")
{
    RunControls controls;
    auto* status = controls.findChild<QLabel*>(QStringLiteral("sweepStatus"));
    REQUIRE(status);
    controls.setRunning(true);
    SweepProgress progress;
    progress.total = 10;
    progress.current = "attention d_model=16 seq_len=32 forward eager";
    progress.eta_s = 125;
    controls.showProgress(progress);
    CHECK(status->text().contains(QStringLiteral("elapsed 0 s")));
    REQUIRE(test::waitUntil([&] { return status->text().contains(QStringLiteral("elapsed 2 s")); }, 4000));
    CHECK(status->text().startsWith(QString::fromStdString(progress.current)));
    CHECK(status->text().contains(QStringLiteral("about 2 min 05 s left")));
    controls.setRunning(false);
}

TEST_CASE("the Help texts name the versions and every variant", "[ui][help]")
{
    Environment environment;
    environment.compilescope_version = "0.1.0";
    environment.libtorch_version = "2.13.0";
    const QString about = aboutText(&environment);
    CHECK(about.contains(QStringLiteral("CompileScope 0.1.0")));
    CHECK(about.contains(QStringLiteral("LibTorch 2.13.0")));
    CHECK(about.contains(QString::fromLatin1(qVersion())));
    CHECK(about.contains(QStringLiteral("GPL-3.0-or-later"))); // LICENSE: the app links QCustomPlot (GPL-3.0)
    CHECK(aboutText(nullptr).contains(QStringLiteral("not known yet")));
    // The test binary runs from the build tree inside the source tree.
    CHECK(QFileInfo::exists(QDir(documentationRoot()).filePath(QStringLiteral("docs/roofline.md"))));

    std::vector<VariantInfo> variants { { eager_variant, "plain ATen calls", true, "", variant_traits(eager_variant) },
        { torch_compile_variant, "torch.compile of the Python math", false, "no Python with torch",
            variant_traits(torch_compile_variant) } };
    const QString guide = variantGuideText(variants);
    CHECK(guide.contains(QStringLiteral("plain ATen calls")));
    CHECK(guide.contains(QStringLiteral("torch-compile (Python)")));
    CHECK(guide.contains(QStringLiteral("Not available here: no Python with torch")));
    CHECK(chartGuideText().contains(QStringLiteral("Roofline")));
}

TEST_CASE("file dialogs never read a file's contents", "[ui][dialogs]")
{
    // A FIFO without a writer blocks whoever reads it, as /proc/kmsg does: naming its icon and type must not read.
    QTemporaryDir dir;
    const QByteArray fifo = QDir(dir.path()).filePath(QStringLiteral("blocks-readers")).toLocal8Bit();
    REQUIRE(mkfifo(fifo.constData(), 0600) == 0);
    std::promise<QString> described;
    std::thread describer([&] {
        const NameOnlyIconProvider icons;
        const QFileInfo info(QString::fromLocal8Bit(fifo));
        icons.icon(info);
        described.set_value(icons.type(info));
    });
    auto future = described.get_future();
    const bool answered = future.wait_for(std::chrono::seconds(5)) == std::future_status::ready;
    if (!answered)
        ::close(::open(fifo.constData(), O_WRONLY)); // let the stuck reader see the end of the file
    describer.join();
    CHECK(answered);

    // The dialogs are Qt's own with that provider.
    bool inspected = false;
    QTimer::singleShot(0, [&] {
        auto* dialog = qobject_cast<QFileDialog*>(QApplication::activeModalWidget());
        if (!dialog)
            return; // the check of `inspected` below fails
        CHECK(dialog->testOption(QFileDialog::DontUseNativeDialog));
        CHECK(dialog->testOption(QFileDialog::DontResolveSymlinks));
        CHECK(dynamic_cast<const NameOnlyIconProvider*>(dialog->iconProvider()));
        inspected = true;
        dialog->reject();
    });
    CHECK(askOpenFile(nullptr, QStringLiteral("Open"), dir.path(), QStringLiteral("JSON (*.json)")).isEmpty());
    CHECK(inspected);
}
