#include "report_command.h"

#include "exit_code.h"
#include "output_files.h"

#include "compilescope/file_io.h"
#include "compilescope/reports.h"

namespace compilescope::cli {

int report_command(const ReportOptions& options, std::ostream& out, std::ostream& err)
{
    RunResult run;
    try {
        run = parse_run_json(read_file(options.input));
    } catch (const FileError& error) {
        err << "compilescope-cli: error: RUN.json: cannot read '" << options.input << "': " << error.what()
            << std::endl;
        return exit_usage;
    } catch (const ReportFormatError& error) {
        err << "compilescope-cli: error: RUN.json: '" << options.input << "' is not a run this version can read ("
            << error.what() << ")" << std::endl;
        return exit_usage;
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
