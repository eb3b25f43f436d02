// compilescope: the desktop application. Parses the command line, then hands over to the ui library.
#include "compilescope/allocator.h"
#include "engine/engine_machine.h"
#include "launch_options.h"
#include "main_window.h"
#include "meta_types.h"
#include "scripted_session.h"

#include <QApplication>
#include <QCoreApplication>
#include <QIcon>
#include <QTextStream>

int main(int argc, char* argv[])
{
    // Before LibTorch allocates anything: keep freed memory so timed iterations do not page-fault (PLATFORM-NOTES).
    compilescope::apply_allocator_policy(compilescope::AllocatorPolicy::keep);

    QCoreApplication::setApplicationName(QStringLiteral("CompileScope"));
    QCoreApplication::setOrganizationName(QStringLiteral("CompileScope"));
    QCoreApplication::setApplicationVersion(QStringLiteral(COMPILESCOPE_APP_VERSION));
    {
        // --help and --version need no display, and a QApplication aborts without one: answer them from a console
        // application first. Everything else is parsed once QApplication has taken Qt's own options (-platform ...).
        const QCoreApplication console(argc, argv);
        const compilescope::LaunchOptions options = compilescope::parseLaunchOptions(QCoreApplication::arguments());
        if (options.error.isEmpty() && (options.show_help || options.show_version)) {
            QTextStream(stdout) << (options.show_help
                    ? options.help_text
                    : QStringLiteral("compilescope %1\n").arg(QCoreApplication::applicationVersion()));
            return 0;
        }
    }

    QApplication app(argc, argv);
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/compilescope-256.png")));
    QApplication::setDesktopFileName(QStringLiteral("io.github.compilescope.CompileScope"));

    const compilescope::LaunchOptions options = compilescope::parseLaunchOptions(QApplication::arguments());
    if (!options.error.isEmpty()) {
        QTextStream(stderr) << "compilescope: " << options.error << "\n\n" << options.help_text;
        return 2;
    }

    compilescope::registerMetaTypes();
    compilescope::installMachine(std::make_unique<compilescope::EngineMachine>());
    compilescope::MainWindow window;
    window.show();
    compilescope::ScriptedSession session(window, options);
    QObject::connect(
        &session, &compilescope::ScriptedSession::done, &app, [](int exit_code) { QApplication::exit(exit_code); },
        Qt::QueuedConnection);
    session.start();
    return QApplication::exec();
}
