// The desktop application's command line: what to open or run at start-up, and the scripted mode
// (`compilescope --preset seed --quick --run --export-dir DIR --quit`) for screenshots and CI.
#pragma once

#include "compilescope/types.h"

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace compilescope {

struct LaunchOptions {
    QString preset; ///< apply this preset to the configuration
    bool quick = false; ///< shrink the configuration to a first look (the core's apply_quick)
    bool run = false; ///< start the sweep as soon as LibTorch has reported its capabilities
    QString export_dir; ///< after the sweep: report.md with chart PNGs, run.json, results.csv here
    bool quit = false; ///< exit once the sweep (and export) is done; exit code 0 ok, 1 failed cells, 2 error
    QString open_path; ///< open a saved run
    QString baseline_path; ///< load a saved run as the baseline
    QStringList variants; ///< tick these variants (["all"]: every one the device can run); empty: as configured
    /// Overrides of the configuration, for scripted runs on servers (nullopt / empty: as configured).
    std::optional<Device> device;
    std::vector<Workload> workloads;
    bool profile = false;
    std::optional<double> min_time_s;
    std::optional<double> max_time_s;
    std::optional<int> max_iters;
    QString screenshot; ///< after the sweep and the export: the main window as a PNG here

    bool show_help = false;
    bool show_version = false;
    QString help_text;
    QString error; ///< a usage error (unknown option or preset, a missing value)

    /// Whether the configuration starts from the defaults (a preset, --quick or an override): the same command line
    /// then measures the same thing everywhere, whatever the user last ran.
    bool replacesConfiguration() const;
};

/// Parses the arguments (argv[0] first). Never exits: help, version and errors are returned in the options.
LaunchOptions parseLaunchOptions(const QStringList& arguments);

} // namespace compilescope
