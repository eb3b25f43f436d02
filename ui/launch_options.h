// The desktop application's command line: what to open or run at start-up, and the scripted mode
// (`compilescope --preset seed --quick --run --export-dir DIR --quit`) for screenshots and CI. The flags that define a
// sweep are compilescope-cli run's own (app/flags/sweep_flags.h), parsed by the same code.
#pragma once

#include "sweep_flags.h"

#include <QString>
#include <QStringList>

namespace compilescope {

struct LaunchOptions {
    cli::SweepFlags sweep; ///< --preset, --quick and every setting flag given, as `compilescope-cli run` reads them
    bool run = false; ///< start the sweep as soon as LibTorch has reported its capabilities
    QString export_dir; ///< after the sweep: report.md with chart PNGs, run.json, results.csv here
    bool quit = false; ///< exit once the sweep (and export) is done; exit code 0 ok, 1 failed cells, 2 error
    QString open_path; ///< open a saved run
    QString baseline_path; ///< load a saved run as the baseline
    QString screenshot; ///< after the sweep and the export: the main window as a PNG here

    bool show_help = false;
    bool show_version = false;
    QString help_text;
    QString error; ///< a usage error (unknown option or preset, a bad value), naming the field and the flag

    /// Whether the configuration starts from the defaults (a preset, --quick or a setting flag other than
    /// --variants): the same command line then measures the same thing everywhere, whatever the user last ran.
    bool replacesConfiguration() const;
    /// The variants to tick ({"all"}: every one the device can run); empty: as configured.
    std::vector<std::string> variants() const;
};

/// Parses the arguments (argv[0] first). Never exits: help, version and errors are returned in the options.
LaunchOptions parseLaunchOptions(const QStringList& arguments);

} // namespace compilescope
