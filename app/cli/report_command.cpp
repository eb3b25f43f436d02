#include "report_command.h"

#include "exit_code.h"
#include "output_files.h"

#include "compilescope/file_io.h"
#include "compilescope/reports.h"
#include "compilescope/run_validation.h"
#include "compilescope/variant_names.h"

#include <algorithm>

namespace compilescope::cli {

std::optional<RunResult> read_run_argument(
    const std::string& path, std::ostream& err, const std::function<void()>& check)
{
    try {
        if (check)
            check();
        return load_run_file(path);
    } catch (const FileError& error) {
        // FileError's message names the path and the reason: "cannot read PATH: it is not a regular file (a FIFO)".
        err << "compilescope-cli: error: RUN.json: " << error.what() << std::endl;
    } catch (const RunFileError& error) {
        err << "compilescope-cli: error: RUN.json: '" << path << "' is not a run this version can read ("
            << error.what() << ")" << std::endl;
    }
    return std::nullopt;
}

int report_command(const ReportOptions& options, std::ostream& out, std::ostream& err)
{
    std::optional<RunResult> read = read_run_argument(options.input, err);
    if (!read)
        return exit_usage;
    RunResult& run = *read;

    if (options.speedup_baseline) {
        const std::vector<std::string> allowed = speedup_baseline_names();
        if (std::find(allowed.begin(), allowed.end(), *options.speedup_baseline) == allowed.end()
            || !has_variant(run, *options.speedup_baseline)) {
            const std::vector<std::string> present = variants_in(run);
            err << "compilescope-cli: error: --speedup-baseline: '" << *options.speedup_baseline
                << "' must be eager or py-eager and a variant of the run (its variants: ";
            for (size_t i = 0; i < present.size(); ++i)
                err << (i ? ", " : "") << present[i];
            err << ")" << std::endl;
            return exit_usage;
        }
        run.config.speedup_baseline = *options.speedup_baseline;
    }

    // No output flag: print the Markdown report, the usual reason to call `report`.
    const OutputFiles outputs = options.markdown || options.json || options.csv
        ? OutputFiles(options.markdown, options.json, options.csv)
        : OutputFiles(std::string("-"), std::nullopt, std::nullopt);
    if (outputs.report_problems(err))
        return exit_usage;
    const auto written = outputs.write(run, out);
    for (const auto& failure : written.failures)
        err << "compilescope-cli: error: " << failure << "\n";
    err << std::flush;
    return written.failures.empty() ? exit_ok : exit_failed;
}

} // namespace compilescope::cli
