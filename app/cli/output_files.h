// The report files a command writes: checked before any work starts, written whole after it.
#pragma once

#include "compilescope/results.h"

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace compilescope::cli {

enum class ReportFileType { markdown, json, csv };

/// "markdown", "json", "csv": a report's name in messages and in a journal's record of its outputs.
std::string format_name(ReportFileType type);

struct OutputFile {
    ReportFileType type;
    std::string path; ///< "-": standard output
};

class OutputFiles {
public:
    /// Adds each given path under its file type; absent ones are ignored.
    OutputFiles(const std::optional<std::string>& markdown, const std::optional<std::string>& json,
        const std::optional<std::string>& csv);

    bool empty() const { return m_files.empty(); }
    const std::vector<OutputFile>& files() const { return m_files; }
    /// Whether one of the reports goes to standard output.
    bool uses_stdout() const;

    /// Problems that must stop the command before it starts: two reports on the same path or on standard output,
    /// or a path where no file can be created (check_writable). One message per line, naming the flag.
    std::vector<std::string> problems() const;

    /// Prints problems() to `err` as compilescope-cli errors; true if there were any (the command must stop).
    bool report_problems(std::ostream& err) const;

    struct Outcome {
        std::vector<std::string> written; ///< paths written to disk
        std::vector<std::string> failures; ///< one message per report that could not be written, naming the flag
    };

    /// Renders and writes every report (write_file_atomically; "-" to `out`), each independently of the others.
    /// A report `out` does not take (its state after the flush is bad) is a failure like a file that cannot be
    /// written.
    Outcome write(const RunResult& run, std::ostream& out) const;

private:
    std::vector<OutputFile> m_files;
};

} // namespace compilescope::cli
