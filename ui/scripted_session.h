// Carries out the command line's start-up requests on a main window: open a run or a baseline, apply a preset,
// run the sweep, export, quit. This is how screenshots and CI drive the GUI (also under QT_QPA_PLATFORM=offscreen).
#pragma once

#include "launch_options.h"

#include <QObject>

namespace compilescope {

class MainWindow;

class ScriptedSession : public QObject {
    Q_OBJECT
public:
    ScriptedSession(MainWindow& window, LaunchOptions options, QObject* parent = nullptr);

    /// Applies what can be done at once and schedules the rest (the sweep waits for LibTorch's capabilities).
    void start();

Q_SIGNALS:
    /// With --quit: everything requested is done; `exit_code` 0 ok, 1 some measurements failed, 2 an error.
    void done(int exit_code);

private:
    void runWhenReady();
    /// Ticks --variants in the configuration panel (capabilities must be known).
    void applyVariants();
    void onSweepEnded(bool completed);
    void finish(int exit_code, const QString& error = {});

    MainWindow& m_window;
    LaunchOptions m_options;
};

} // namespace compilescope
