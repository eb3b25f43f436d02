// Sweep journals in the GUI (issue 13, item 6): every sweep writes one in the state folder and deletes it once the
// window has the run; a worker killed with SIGKILL leaves it, and resuming it runs only what is missing; a worker that
// crashes costs what it was running and a fresh one goes on; the offer at
// start-up finds dead journals and leaves live ones alone; Open what finished and Discard delete the journal.
#include <catch2/catch.hpp>

#include "compilescope/journal.h"
#include "compilescope/sweep_events.h"
#include "compilescope/sweep_plan.h"
#include "config_panel.h"
#include "interrupted_sweeps.h"
#include "main_window.h"
#include "run_history.h"
#include "run_store.h"
#include "sweep_controller.h"
#include "test_support.h"

#include <QAbstractButton>
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTimer>

#include <csignal>
#include <fstream>
#include <set>
#include <sstream>
#include <tuple>
#include <unistd.h>

using namespace compilescope;

namespace {

constexpr int sweep_timeout_ms = 240000;

/// Answers the next modal message boxes in turn by clicking the button with each object name, recording what
/// they said and whether Resume could be pressed.
class DialogAnswers {
public:
    explicit DialogAnswers(QStringList buttons)
        : m_buttons(std::move(buttons))
    {
        m_timer.setInterval(20);
        QObject::connect(&m_timer, &QTimer::timeout, [this] { answer(); });
        m_timer.start();
    }
    bool done() const { return m_buttons.isEmpty(); }

    QStringList texts;
    QStringList informative;
    QList<bool> resume_enabled;
    QStringList missing; ///< buttons asked for that the box did not have

private:
    void answer()
    {
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        // A box stays the active modal widget until its event loop returns; the next may reuse its address.
        if (!box || m_buttons.isEmpty() || box->property("answered").toBool())
            return;
        box->setProperty("answered", true);
        const QString name = m_buttons.takeFirst();
        auto* button = box->findChild<QAbstractButton*>(name);
        texts << box->text();
        informative << box->informativeText();
        auto* resume = box->findChild<QAbstractButton*>(QStringLiteral("resumeButton"));
        resume_enabled << (resume && resume->isEnabled());
        if (button) {
            button->click();
        } else { // never throw through Qt: record it, and close the box so that the test goes on
            missing << name;
            box->reject();
        }
    }

    QStringList m_buttons;
    QTimer m_timer;
};

/// A journal of test::sampleRun() with its first `finished` measurements, closed: the journal of a dead sweep.
QString deadJournal(const QString& name, int finished)
{
    REQUIRE(QDir().mkpath(journalDirectory()));
    const QString path = QDir(journalDirectory()).filePath(name);
    const RunResult run = test::sampleRun();
    JournalWriter writer(path.toStdString(), {}, false);
    writer.started(run);
    for (int i = 0; i < finished; ++i)
        writer.measurement(run.measurements.at(static_cast<size_t>(i)));
    return path;
}

/// Sets the file's last modification `seconds` in the past.
void makeOlder(const QString& path, int seconds)
{
    QFile file(path);
    REQUIRE(file.open(QIODevice::ReadWrite));
    REQUIRE(file.setFileTime(QDateTime::currentDateTime().addSecs(-seconds), QFileDevice::FileModificationTime));
}

/// The compilescope-worker processes this process started (their command name, cut to 15 characters by Linux).
std::vector<pid_t> workerChildren()
{
    std::vector<pid_t> found;
    for (const QString& entry : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
        bool number = false;
        const int pid = entry.toInt(&number);
        if (!number)
            continue;
        std::ifstream stat("/proc/" + entry.toStdString() + "/stat");
        std::string line;
        std::getline(stat, line);
        const auto open = line.find('('), close = line.rfind(')');
        if (open == std::string::npos || close == std::string::npos)
            continue;
        std::istringstream rest(line.substr(close + 2));
        char state = 0;
        int parent = 0;
        rest >> state >> parent;
        if (parent == ::getpid() && line.substr(open + 1, close - open - 1) == "compilescope-wo")
            found.push_back(pid);
    }
    return found;
}

std::unique_ptr<MainWindow> readyWindow(const SweepConfig& config)
{
    auto window = std::make_unique<MainWindow>();
    window->setConfirmDiscard(false);
    window->show();
    REQUIRE(test::waitUntil([&] { return window->hasCapabilities(); }, 60000));
    window->configPanel()->setConfig(config);
    REQUIRE(window->configPanel()->validationMessage().toStdString().empty());
    return window;
}

using Key = std::tuple<int64_t, int64_t, int64_t, int, std::string>;

Key keyOf(const Measurement& m)
{
    return { m.cell.d_model, m.cell.seq_len, m.cell.batch, static_cast<int>(m.phase), m.variant };
}

} // namespace

TEST_CASE(
    "a GUI sweep writes a journal in the state folder and deletes it once the run is in the window", "[ui][journal]")
{
    const bool cancel = GENERATE(false, true);
    INFO((cancel ? "cancelled by the user" : "run to the end"));
    test::TemporaryHomes homes;
    auto window = readyWindow(test::tinySweep());
    QSignalSpy measurements(window->controller(), &SweepController::measurementFinished);
    QSignalSpy closed(window->controller(), &SweepController::journalClosed);

    REQUIRE(window->startSweep());
    REQUIRE(test::waitUntil([&] { return measurements.count() > 0; }, sweep_timeout_ms));
    const QStringList during = homes.journals();
    REQUIRE(during.size() == 1);
    CHECK(during.first().startsWith(QStringLiteral("sweep-")));
    const QString path = QDir(journalDirectory()).filePath(during.first());
    CHECK(journal_in_use(path.toStdString()));
    CHECK(findInterruptedSweeps().isEmpty()); // a live sweep's journal is never offered
    if (cancel)
        window->cancelSweep();

    REQUIRE(test::waitUntil([&] { return closed.count() == 1; }, sweep_timeout_ms));
    CHECK(closed.at(0).at(0).toString() == path);
    CHECK_FALSE(closed.at(0).at(1).toBool());
    CHECK_FALSE(QFileInfo::exists(path));
    CHECK(homes.journals().isEmpty());
    CHECK(window->store().run().cancelled == cancel);
    CHECK_FALSE(window->historyCopyPath().isEmpty()); // deleted after the history kept the run
}

TEST_CASE("a worker killed with SIGKILL leaves its journal, and resuming it runs only what is missing", "[ui][journal]")
{
    test::TemporaryHomes homes;
    const SweepConfig config = test::tinySweep();
    auto window = readyWindow(config);
    SweepController* controller = window->controller();
    QSignalSpy measurements(controller, &SweepController::measurementFinished);
    QSignalSpy finished(controller, &SweepController::finished);
    QSignalSpy closed(controller, &SweepController::journalClosed);

    REQUIRE(window->startSweep());
    REQUIRE(test::waitUntil([&] { return measurements.count() > 0; }, sweep_timeout_ms));
    const std::vector<pid_t> workers = workerChildren();
    REQUIRE(workers.size() == 1);
    REQUIRE(::kill(workers.front(), SIGKILL) == 0);
    REQUIRE(test::waitUntil([&] { return closed.count() == 1; }, 30000));
    REQUIRE(finished.count() == 1);
    const auto killed = finished.takeFirst().at(0).value<RunResult>();
    CHECK(killed.cancelled);
    // Said as what happened, not as a cancel.
    CHECK(controller->workerDeath() == QStringLiteral("killed by signal 9 (Killed)"));

    const QString path = closed.at(0).at(0).toString();
    CHECK(closed.at(0).at(1).toBool()); // kept
    REQUIRE(QFileInfo::exists(path));
    CHECK_FALSE(journal_in_use(path.toStdString()));
    const QList<InterruptedSweep> offered = findInterruptedSweeps();
    REQUIRE(offered.size() == 1);
    REQUIRE(offered.first().journal.has_value());
    const Journal& journal = *offered.first().journal;
    const auto& before = journal.run.measurements;
    REQUIRE(before.size() >= 1);
    CHECK(keyOf(before.front()) == keyOf(measurements.at(0).at(0).value<Measurement>()));
    CHECK(offered.first().planned() == planned_measurements(config));
    REQUIRE(static_cast<int>(before.size()) < planned_measurements(config)); // killed mid-sweep

    // What the offer's Resume does, with another configuration in the panel: the journal's comes back.
    SweepConfig other = config;
    other.attention.seq_lens = { 128 };
    window->configPanel()->setConfig(other);
    measurements.clear();
    closed.clear();
    REQUIRE(window->resumeInterruptedSweep(path).toStdString().empty());
    CHECK(window->isSweepRunning());
    CHECK(window->configPanel()->config().attention.seq_lens == config.attention.seq_lens);
    CHECK(window->resumeInterruptedSweep(path).toStdString() != ""); // one sweep at a time
    REQUIRE(finished.wait(sweep_timeout_ms));
    const auto resumed = finished.takeFirst().at(0).value<RunResult>();
    REQUIRE(test::waitUntil([&] { return closed.count() == 1; }, 5000));

    CHECK_FALSE(resumed.cancelled);
    CHECK(resumed.started_at == journal.run.started_at); // the first start
    // The finished ones arrive first, as they were.
    REQUIRE(measurements.count() >= static_cast<int>(before.size()));
    for (size_t i = 0; i < before.size(); ++i)
        CHECK(keyOf(measurements.at(static_cast<int>(i)).at(0).value<Measurement>()) == keyOf(before[i]));
    // The union is the plan: every cell, phase and variant exactly once, all ok.
    std::multiset<Key> planned, got;
    for (const Measurement& m : plan_measurements(config))
        planned.insert(keyOf(m));
    for (const Measurement& m : resumed.measurements) {
        got.insert(keyOf(m));
        INFO(m.variant << " " << m.message);
        CHECK(m.ok());
    }
    CHECK(got == planned);
    CHECK(window->store().run().measurements.size() == planned.size());
    // Which attempt measured what: the earlier attempt's carry the note, the resume's do not.
    const auto earlier
        = std::count_if(resumed.measurements.begin(), resumed.measurements.end(), [](const Measurement& m) {
              return std::find(m.notes.begin(), m.notes.end(), earlier_attempt_note) != m.notes.end();
          });
    CHECK(earlier == static_cast<long>(before.size()));
    CHECK(controller->workerDeath().isEmpty());
    CHECK_FALSE(closed.at(0).at(1).toBool());
    CHECK_FALSE(QFileInfo::exists(path));
    CHECK(findInterruptedSweeps().isEmpty());
}

TEST_CASE("a worker that crashes costs what it was running: a fresh worker finishes the sweep", "[ui][journal]")
{
    // torchscript raises SIGSEGV wherever it is built (compilescope/failpoints.h), in every worker.
    test::TemporaryHomes homes;
    ::setenv("COMPILESCOPE_FAILPOINTS", "crash=torchscript", 1);
    const SweepConfig config = test::tinySweep();
    auto window = readyWindow(config);
    SweepController* controller = window->controller();
    QSignalSpy finished(controller, &SweepController::finished);
    QSignalSpy closed(controller, &SweepController::journalClosed);
    REQUIRE(window->startSweep());
    REQUIRE(test::waitUntil([&] { return closed.count() == 1; }, sweep_timeout_ms));
    ::unsetenv("COMPILESCOPE_FAILPOINTS");
    REQUIRE(finished.count() == 1);

    const auto run = finished.takeFirst().at(0).value<RunResult>();
    CHECK_FALSE(run.cancelled);
    CHECK(controller->workerDeath().isEmpty()); // not a stop: the sweep went on
    REQUIRE(static_cast<int>(run.measurements.size()) == planned_measurements(config));
    for (const Measurement& m : run.measurements) {
        INFO(m.variant << ": " << m.message);
        if (m.variant == "torchscript") {
            CHECK(m.status == MeasurementStatus::failed);
            // Under ASan the sanitizer reports the SIGSEGV and exits 1: a crash all the same.
            CHECK_THAT(m.message,
                Catch::Equals("the sweep worker died while it ran: killed by signal 11 (Segmentation fault)")
                    || Catch::StartsWith("the sweep worker died while it ran: exited with code 1"));
        } else {
            CHECK(m.ok());
        }
    }
    CHECK(window->store().run().measurements.size() == run.measurements.size());
    CHECK_FALSE(closed.at(0).at(1).toBool()); // the journal went with the whole run
}

TEST_CASE(
    "the offer lists the journals of dead sweeps, newest first, and leaves live and empty ones alone", "[ui][journal]")
{
    test::TemporaryHomes homes;
    const QString older = deadJournal(QStringLiteral("sweep-20261201-100000-1.journal"), 2);
    makeOlder(older, 3600);
    const QString dead = deadJournal(QStringLiteral("sweep-20261201-110000-2.journal"), 5);
    const QString live_path = QDir(journalDirectory()).filePath(QStringLiteral("sweep-20261201-120000-3.journal"));
    JournalWriter live(live_path.toStdString(), {}, false); // held open, as a running worker holds its journal
    live.started(test::sampleRun());
    // A worker killed before its sweep started leaves the header only: deleted once it is surely not starting.
    const QString empty_path = QDir(journalDirectory()).filePath(QStringLiteral("sweep-20261201-090000-4.journal"));
    {
        JournalWriter empty(empty_path.toStdString(), {}, false);
    }
    makeOlder(empty_path, 7200);
    const QString garbage = QDir(journalDirectory()).filePath(QStringLiteral("sweep-20261201-080000-5.journal"));
    {
        QFile file(garbage);
        REQUIRE(file.open(QIODevice::WriteOnly));
        file.write("this is not a journal\nnor this\n");
    }
    makeOlder(garbage, 10800);

    const QList<InterruptedSweep> sweeps = findInterruptedSweeps();
    REQUIRE(sweeps.size() == 3);
    CHECK(sweeps[0].path.toStdString() == dead.toStdString());
    CHECK(sweeps[0].finished() == 5);
    CHECK(sweeps[0].planned() == 24);
    CHECK(sweeps[1].path.toStdString() == older.toStdString());
    CHECK(sweeps[2].path.toStdString() == garbage.toStdString());
    CHECK_FALSE(sweeps[2].journal.has_value());
    CHECK(sweeps[2].error.contains(QStringLiteral("not a CompileScope journal")));
    CHECK_FALSE(QFileInfo::exists(empty_path));
    CHECK(QFileInfo::exists(live_path));
    CHECK(describeInterruptedSweep(sweeps[0]).endsWith(QStringLiteral(": attention, 5 of 24 measurements finished.")));

    MainWindow window;
    window.show();
    auto* menu = window.findChild<QMenu*>(QStringLiteral("interruptedSweepsMenu"));
    REQUIRE(menu != nullptr);
    CHECK(menu->isEnabled());
    CHECK(menu->actions().size() == 3);
    CHECK(menu->actions().at(0)->text().contains(QStringLiteral("5 of 24")));

    // At start-up: one question per journal, newest first; Later leaves them. The live one is never offered, and
    // Resume is refused for journals written elsewhere (the sample run's machine is not this one).
    DialogAnswers answers(
        { QStringLiteral("laterButton"), QStringLiteral("laterButton"), QStringLiteral("keepButton") });
    window.offerInterruptedSweeps();
    REQUIRE(test::waitUntil([&] { return answers.done(); }, 60000));
    CHECK(answers.missing.isEmpty());
    REQUIRE(answers.texts.size() == 3);
    CHECK(answers.texts[0].startsWith(QStringLiteral("A sweep was interrupted on ")));
    CHECK(
        answers.texts[0].contains(QStringLiteral("5 of 24 measurements finished. Resume runs only the missing ones.")));
    CHECK(answers.texts[1].contains(QStringLiteral("2 of 24")));
    CHECK(answers.texts[2].contains(QStringLiteral("cannot be read")));
    CHECK_FALSE(answers.resume_enabled[0]);
    CHECK(answers.informative[0].contains(QStringLiteral("written elsewhere")));
    for (const QString& path : { dead, older, garbage, live_path })
        CHECK(QFileInfo::exists(path));
}

TEST_CASE("Open what finished shows the journal's run and keeps it in the history, Discard deletes the journal",
    "[ui][journal]")
{
    test::TemporaryHomes homes;
    const QString path = deadJournal(QStringLiteral("sweep-20261201-110000-2.journal"), 5);
    MainWindow window;
    window.show();

    SECTION("Open what finished")
    {
        DialogAnswers answers({ QStringLiteral("openFinishedButton") });
        window.offerInterruptedSweep(path);
        CHECK(answers.done());
        CHECK(answers.missing.isEmpty());
        CHECK_FALSE(QFileInfo::exists(path));
        const RunResult& run = window.store().run();
        CHECK(run.cancelled);
        CHECK(run.measurements.size() == 24); // the plan, those that did not finish marked "not started"
        CHECK(finished_measurements(run) == 5);
        CHECK(run.started_at == test::sampleRun().started_at);
        REQUIRE(window.history().entries().size() == 1);
        CHECK(window.history().entries().first().finished_measurements == 5);
        CHECK(window.history().entries().first().planned_measurements == 24);
        CHECK(window.history().entries().first().partial()); // Recent runs says "5 of 24 measurements (partial)"
        CHECK_FALSE(window.findChild<QMenu*>(QStringLiteral("interruptedSweepsMenu"))->isEnabled());
    }
    SECTION("Discard, confirmed")
    {
        DialogAnswers answers({ QStringLiteral("discardButton"), QStringLiteral("deleteButton") });
        window.offerInterruptedSweep(path);
        CHECK(answers.done());
        CHECK(answers.missing.isEmpty());
        CHECK(answers.texts.at(1).contains(QStringLiteral("5 finished measurement(s) are lost")));
        CHECK_FALSE(QFileInfo::exists(path));
        CHECK(window.history().entries().isEmpty());
    }
    SECTION("Discard, not confirmed")
    {
        DialogAnswers answers({ QStringLiteral("discardButton"), QStringLiteral("keepButton") });
        window.offerInterruptedSweep(path);
        CHECK(answers.done());
        CHECK(answers.missing.isEmpty());
        CHECK(QFileInfo::exists(path));
    }
    SECTION("an unreadable journal, deleted")
    {
        QFile file(path);
        REQUIRE(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write("{\"compilescope_journal\": 99}\n");
        file.close();
        DialogAnswers answers({ QStringLiteral("deleteButton") });
        window.offerInterruptedSweep(path);
        CHECK(answers.done());
        CHECK(answers.missing.isEmpty());
        CHECK(answers.texts.at(0).contains(QStringLiteral("cannot be read")));
        CHECK_FALSE(QFileInfo::exists(path));
    }
}
