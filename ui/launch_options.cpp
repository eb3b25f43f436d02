#include "launch_options.h"

#include "compilescope/presets.h"

#include <QCommandLineParser>
#include <QObject>

namespace compilescope {

namespace {

/// The allowed names of an option, for its help, its check and its error.
QStringList qStrings(const std::vector<std::string>& names)
{
    QStringList list;
    for (const std::string& name : names)
        list << QString::fromStdString(name);
    return list;
}

} // namespace

LaunchOptions parseLaunchOptions(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QObject::tr("Measures how much faster compiled PyTorch workloads are than eager, and plots it."));
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version = parser.addVersionOption();
    const QStringList presets = qStrings(preset_names());
    const QCommandLineOption preset(QStringLiteral("preset"),
        QObject::tr("Start from a preset: %1.").arg(presets.join(QStringLiteral(", "))), QStringLiteral("name"));
    const QCommandLineOption quick(
        QStringLiteral("quick"), QObject::tr("A small grid with few iterations: a first look in under a minute."));
    const QCommandLineOption run(QStringLiteral("run"), QObject::tr("Start the sweep at once."));
    const QCommandLineOption export_dir(QStringLiteral("export-dir"),
        QObject::tr("When the sweep ends, write report.md (with chart PNGs), run.json and results.csv to <dir>."),
        QStringLiteral("dir"));
    const QCommandLineOption quit(QStringLiteral("quit"),
        QObject::tr(
            "Exit when the sweep and the export are done (exit code 0: all cells ok, 1: some failed, 2: error)."));
    const QCommandLineOption open(
        QStringLiteral("open"), QObject::tr("Open a saved run (JSON)."), QStringLiteral("run.json"));
    const QCommandLineOption baseline(QStringLiteral("baseline"),
        QObject::tr("Load a saved run to compare with (File ▸ Compare with another run)."), QStringLiteral("run.json"));
    const QCommandLineOption variants(QStringLiteral("variants"),
        QObject::tr("Tick these variants (comma-separated), or all: every variant this build can run."),
        QStringLiteral("list"));
    const QCommandLineOption device(QStringLiteral("device"),
        QObject::tr("Measure on this device: %1.").arg(qStrings(device_names()).join(QStringLiteral(", "))),
        QStringLiteral("name"));
    const QCommandLineOption workload(QStringLiteral("workload"),
        QObject::tr("Measure only this workload: %1, or all.")
            .arg(qStrings(workload_names()).join(QStringLiteral(", "))),
        QStringLiteral("name"));
    const QCommandLineOption profile(QStringLiteral("profile"),
        QObject::tr("Add the profiled pass (kernels, GPU-busy share, traces) after each measurement."));
    const QCommandLineOption min_time(QStringLiteral("min-time"),
        QObject::tr("Adaptive timing: measure each cell at least this long."), QStringLiteral("seconds"));
    const QCommandLineOption max_time(QStringLiteral("max-time"),
        QObject::tr("Adaptive timing: stop after this long even if still noisy."), QStringLiteral("seconds"));
    const QCommandLineOption max_iters(QStringLiteral("max-iters"),
        QObject::tr("Adaptive timing: stop after this many iterations."), QStringLiteral("count"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
        QObject::tr("After the sweep and the export, save the main window as a PNG image."), QStringLiteral("file"));
    parser.addOptions({ preset, quick, run, export_dir, quit, open, baseline, variants, device, workload, profile,
        min_time, max_time, max_iters, screenshot });
    parser.addPositionalArgument(
        QStringLiteral("run.json"), QObject::tr("A saved run to open (same as --open)."), QStringLiteral("[run.json]"));

    LaunchOptions options;
    options.help_text = parser.helpText();
    if (!parser.parse(arguments)) {
        options.error = parser.errorText();
        return options;
    }
    options.show_help = parser.isSet(help);
    options.show_version = parser.isSet(version);
    options.preset = parser.value(preset);
    options.quick = parser.isSet(quick);
    options.run = parser.isSet(run);
    options.export_dir = parser.value(export_dir);
    options.quit = parser.isSet(quit);
    options.open_path = parser.value(open);
    options.baseline_path = parser.value(baseline);
    if (parser.isSet(variants))
        options.variants = parser.value(variants).split(QLatin1Char(','), Qt::SkipEmptyParts);
    options.profile = parser.isSet(profile);
    options.screenshot = parser.value(screenshot);
    QStringList problems;
    if (parser.isSet(device)) {
        options.device = parse_device(parser.value(device).toStdString());
        if (!options.device)
            problems << QObject::tr("--device must be one of %1, got \"%2\".")
                            .arg(qStrings(device_names()).join(QStringLiteral(", ")), parser.value(device));
    }
    if (parser.isSet(workload)) {
        if (parser.value(workload) == QStringLiteral("all")) {
            options.workloads = { Workload::attention, Workload::transformer_lm };
        } else if (const auto parsed = parse_workload(parser.value(workload).toStdString())) {
            options.workloads = { *parsed };
        } else {
            problems << QObject::tr("--workload must be one of %1 or all, got \"%2\".")
                            .arg(qStrings(workload_names()).join(QStringLiteral(", ")), parser.value(workload));
        }
    }
    const auto positive = [&](const QCommandLineOption& option, const QString& flag) -> std::optional<double> {
        if (!parser.isSet(option))
            return std::nullopt;
        bool ok = false;
        const double value = parser.value(option).toDouble(&ok);
        if (!ok || !(value > 0)) {
            problems << QObject::tr("%1 must be a number > 0, got \"%2\".").arg(flag, parser.value(option));
            return std::nullopt;
        }
        return value;
    };
    options.min_time_s = positive(min_time, QStringLiteral("--min-time"));
    options.max_time_s = positive(max_time, QStringLiteral("--max-time"));
    if (const auto iters = positive(max_iters, QStringLiteral("--max-iters")))
        options.max_iters = int(*iters);
    const QStringList positional = parser.positionalArguments();
    if (options.open_path.isEmpty() && !positional.isEmpty())
        options.open_path = positional.first();
    if (positional.size() > 1)
        options.error = QObject::tr("Only one run can be opened (got %1).").arg(positional.join(QStringLiteral(", ")));
    else if (!options.preset.isEmpty() && !presets.contains(options.preset))
        options.error = QObject::tr("Unknown preset \"%1\"; choose one of: %2.")
                            .arg(options.preset, presets.join(QStringLiteral(", ")));
    else if (options.run && !options.open_path.isEmpty())
        options.error = QObject::tr("--run and --open exclude each other: a sweep replaces the opened run.");
    else if (!problems.isEmpty())
        options.error = problems.join(QLatin1Char('\n'));
    return options;
}

bool LaunchOptions::replacesConfiguration() const
{
    return !preset.isEmpty() || quick || device || !workloads.empty() || profile || min_time_s || max_time_s
        || max_iters;
}

} // namespace compilescope
