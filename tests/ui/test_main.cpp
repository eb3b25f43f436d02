// The GUI tests' own main: a QApplication on the offscreen platform, settings, the run history and the sweep
// journals in throw-away directories.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "engine/engine_machine.h"
#include "meta_types.h"

#include <QApplication>
#include <QSettings>
#include <QTemporaryDir>

int main(int argc, char* argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    const QTemporaryDir data_dir; // before anything asks QStandardPaths for the history folder
    qputenv("XDG_DATA_HOME", data_dir.path().toUtf8());
    const QTemporaryDir state_dir; // every sweep writes a journal there (interrupted_sweeps.h), never the user's own
    qputenv("XDG_STATE_HOME", state_dir.path().toUtf8());
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("CompileScopeTests"));
    QApplication::setApplicationName(QStringLiteral("ui_tests"));
    // Closing a test's window must not quit the event loops the tests are waiting in.
    QApplication::setQuitOnLastWindowClosed(false);
    const QTemporaryDir settings_dir;
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settings_dir.path());
    compilescope::registerMetaTypes();
    compilescope::installMachine(std::make_unique<compilescope::EngineMachine>());
    return Catch::Session().run(argc, argv);
}
