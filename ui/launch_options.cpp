#include "launch_options.h"

#include "text_option.h"
#include "typed_options.h"

#include <CLI/CLI.hpp>

#include <QObject>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace compilescope {

LaunchOptions parseLaunchOptions(const QStringList& arguments)
{
    LaunchOptions options;
    CLI::App app("Measures how much faster compiled PyTorch workloads are than eager, and plots it. The sweep flags "
                 "are those of `compilescope-cli run`.",
        arguments.isEmpty() ? "compilescope"
                            : QStringList(arguments.first().split(QLatin1Char('/'))).last().toStdString());
    cli::FlagErrors flag_errors;
    cli::add_sweep_flags(app, options.sweep, flag_errors);

    const std::string session = "Session";
    std::optional<std::string> export_dir;
    std::optional<std::string> open_path;
    std::optional<std::string> positional;
    std::optional<std::string> baseline_path;
    std::optional<std::string> screenshot;
    app.add_flag("-v,--version", options.show_version, "Print the version and exit.")->group(session);
    cli::add_switch(app, "--run", options.run, "Start the sweep at once.")->group(session);
    cli::add_text(app, "--export-dir", export_dir,
        "When the sweep ends, write report.md (with chart PNGs), run.json and results.csv to this directory.")
        ->type_name("DIR")
        ->group(session);
    cli::add_switch(app, "--quit", options.quit,
        "Exit when the sweep and the export are done (exit code 0: all cells ok, 1: some failed, 2: error).")
        ->group(session);
    cli::add_text(app, "--open", open_path, "Open a saved run (JSON).")->type_name("RUN.json")->group(session);
    cli::add_text(
        app, "--baseline", baseline_path, "Load a saved run to compare with (File ▸ Compare with another run).")
        ->type_name("RUN.json")
        ->group(session);
    cli::add_text(
        app, "--screenshot", screenshot, "After the sweep and the export, save the main window as a PNG image.")
        ->type_name("FILE")
        ->group(session);
    app.add_option("run.json", positional, "A saved run to open (same as --open).");
    options.help_text = QString::fromStdString(app.help());

    std::vector<std::string> argv;
    for (const QString& argument : arguments)
        argv.push_back(argument.toStdString());
    std::vector<const char*> pointers;
    for (const std::string& argument : argv)
        pointers.push_back(argument.c_str());
    try {
        app.parse(static_cast<int>(pointers.size()), pointers.data());
    } catch (const CLI::ParseError& error) {
        if (error.get_exit_code() == 0) {
            options.show_help = true;
            return options;
        }
        // A value refused by its typed option's check: "FIELD (FLAG): MESSAGE", as the command line has it.
        if (!flag_errors.errors().empty()) {
            const cli::UsageError& refused = flag_errors.errors().back();
            options.error = QString::fromStdString(refused.field + " (" + refused.flag + "): " + refused.message);
        } else {
            options.error = QString::fromStdString(error.what());
        }
        return options;
    }
    const auto text
        = [](const std::optional<std::string>& value) { return value ? QString::fromStdString(*value) : QString(); };
    options.export_dir = text(export_dir);
    options.open_path = text(open_path ? open_path : positional);
    options.baseline_path = text(baseline_path);
    options.screenshot = text(screenshot);
    if (options.run && !options.open_path.isEmpty())
        options.error = QObject::tr("--run and --open exclude each other: a sweep replaces the opened run.");
    return options;
}

bool LaunchOptions::replacesConfiguration() const
{
    return sweep.preset || sweep.quick
        || std::any_of(
            sweep.given.begin(), sweep.given.end(), [](const std::string& flag) { return flag != "--variants"; });
}

std::vector<std::string> LaunchOptions::variants() const
{
    return sweep.has("--variants") ? sweep.values.variants : std::vector<std::string> {};
}

} // namespace compilescope
