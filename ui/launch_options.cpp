#include "launch_options.h"

#include "compilescope/presets.h"

#include <QCommandLineParser>
#include <QObject>

namespace compilescope {

LaunchOptions parseLaunchOptions(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QObject::tr("Measures how much faster compiled PyTorch workloads are than eager, and plots it."));
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version = parser.addVersionOption();
    QStringList presets;
    for (const std::string& name : preset_names())
        presets << QString::fromStdString(name);
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
        QObject::tr("Load a saved run as the baseline to compare with."), QStringLiteral("run.json"));
    const QCommandLineOption variants(QStringLiteral("variants"),
        QObject::tr("Tick these variants (comma-separated), or all: every variant this build can run."),
        QStringLiteral("list"));
    parser.addOptions({ preset, quick, run, export_dir, quit, open, baseline, variants });
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
    return options;
}

} // namespace compilescope
