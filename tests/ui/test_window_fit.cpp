// The window on a small screen: no tab may widen it past 1366 pixels (a common laptop), a size saved on a larger
// screen comes back fitted to this one, and the log keeps its timestamps in view.
#include "log_view.h"
#include "main_window.h"
#include "run_export.h"
#include "test_support.h"

#include <QApplication>
#include <QScreen>
#include <QScrollBar>
#include <QTabWidget>
#include <QTemporaryDir>

#include <catch2/catch.hpp>

using namespace compilescope;

TEST_CASE("no tab widens the window past a 1366-pixel screen", "[ui][screen]")
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("run.json"));
    REQUIRE(exportJson(test::sampleRun(), path).isEmpty());
    MainWindow window;
    REQUIRE(window.openRunFile(path).isEmpty());
    window.show();
    auto* tabs = window.findChild<QTabWidget*>(QStringLiteral("tabs"));
    REQUIRE(tabs);
    for (int i = 0; i < tabs->count(); ++i) {
        tabs->setCurrentIndex(i);
        QApplication::processEvents();
        INFO(tabs->tabText(i).toStdString());
        CHECK(window.minimumSizeHint().width() <= 1366);
        CHECK(window.minimumSizeHint().height() <= 768);
    }
}

TEST_CASE("the window starts inside the screen, whatever size was saved", "[ui][screen]")
{
    MainWindow window; // the default size, 1400 x 900, is larger than the test screen
    const QRect available = window.screen()->availableGeometry();
    CHECK(window.width() <= std::max(available.width(), window.minimumSizeHint().width()));
    CHECK(window.height() <= std::max(available.height(), window.minimumSizeHint().height()));
}

TEST_CASE("the log keeps its timestamps in view after a long line", "[ui][screen]")
{
    LogView log;
    log.resize(400, 200);
    log.show();
    log.appendLine(QString(2000, QLatin1Char('x')));
    QApplication::processEvents();
    REQUIRE(log.horizontalScrollBar()->maximum() > 0); // the line is wider than the view
    CHECK(log.horizontalScrollBar()->value() == 0);
}
