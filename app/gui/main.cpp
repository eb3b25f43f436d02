// compilescope: the desktop application. Parses the command line, then hands over to the ui library.
#include "compilescope/allocator.h"
#include "launch_options.h"
#include "main_window.h"
#include "meta_types.h"
#include "scripted_session.h"

#include <QApplication>
#include <QIcon>
#include <QTextStream>

int main(int argc, char* argv[])
{
    // Before LibTorch allocates anything: keep freed memory so timed iterations do not page-fault (PLATFORM-NOTES).
    compilescope::apply_allocator_policy(compilescope::AllocatorPolicy::keep);

    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("CompileScope"));
    QApplication::setOrganizationName(QStringLiteral("CompileScope"));
    QApplication::setApplicationVersion(QStringLiteral(COMPILESCOPE_APP_VERSION));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/compilescope-256.png")));
    QApplication::setDesktopFileName(QStringLiteral("io.github.compilescope.CompileScope"));

    const compilescope::LaunchOptions options = compilescope::parseLaunchOptions(QApplication::arguments());
    if (!options.error.isEmpty()) {
        QTextStream(stderr) << "compilescope: " << options.error << "\n\n" << options.help_text;
        return 2;
    }
    if (options.show_help || options.show_version) {
        QTextStream(stdout) << (options.show_help
                ? options.help_text
                : QStringLiteral("compilescope %1\n").arg(QApplication::applicationVersion()));
        return 0;
    }

    compilescope::registerMetaTypes();
    compilescope::MainWindow window;
    window.show();
    compilescope::ScriptedSession session(window, options);
    QObject::connect(
        &session, &compilescope::ScriptedSession::done, &app, [](int exit_code) { QApplication::exit(exit_code); },
        Qt::QueuedConnection);
    session.start();
    return QApplication::exec();
}
