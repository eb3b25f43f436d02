#include "output_files.h"

#include "compilescope/file_io.h"
#include "compilescope/reports.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

namespace compilescope::cli {

namespace {

std::string flag_of(ReportFileType type)
{
    switch (type) {
    case ReportFileType::markdown:
        return "--markdown";
    case ReportFileType::json:
        return "--json";
    case ReportFileType::csv:
        return "--csv";
    }
    return {};
}

std::string render(ReportFileType type, const RunResult& run)
{
    switch (type) {
    case ReportFileType::markdown:
        return full_markdown(run);
    case ReportFileType::json:
        return to_json(run);
    case ReportFileType::csv:
        return to_csv(run);
    }
    return {};
}

/// Two spellings of one file (./a.md and a.md) must count as the same path.
std::string normalized(const std::string& path)
{
    std::error_code error;
    const auto absolute = std::filesystem::weakly_canonical(std::filesystem::absolute(path, error), error);
    return error ? path : absolute.string();
}

} // namespace

std::string format_name(ReportFileType type)
{
    return flag_of(type).substr(2);
}

OutputFiles::OutputFiles(const std::optional<std::string>& markdown, const std::optional<std::string>& json,
    const std::optional<std::string>& csv)
{
    if (markdown)
        m_files.push_back({ ReportFileType::markdown, *markdown });
    if (json)
        m_files.push_back({ ReportFileType::json, *json });
    if (csv)
        m_files.push_back({ ReportFileType::csv, *csv });
}

bool OutputFiles::uses_stdout() const
{
    return std::any_of(m_files.begin(), m_files.end(), [](const OutputFile& file) { return file.path == "-"; });
}

std::vector<std::string> OutputFiles::problems() const
{
    std::vector<std::string> problems;
    for (size_t i = 0; i < m_files.size(); ++i) {
        const auto& file = m_files[i];
        const auto flag = flag_of(file.type);
        if (file.path.empty()) {
            problems.push_back(flag + ": the path is empty");
            continue;
        }
        bool duplicate = false;
        for (size_t j = 0; j < i; ++j) {
            const bool same = file.path == "-"
                ? m_files[j].path == "-"
                : m_files[j].path != "-" && normalized(m_files[j].path) == normalized(file.path);
            if (same) {
                problems.push_back(flag + ": '" + file.path + "' is also given to " + flag_of(m_files[j].type)
                    + " (each report needs its own file; '-' can be used once)");
                duplicate = true;
            }
        }
        if (duplicate || file.path == "-")
            continue;
        try {
            check_writable(file.path);
        } catch (const FileError& error) {
            problems.push_back(flag + ": " + error.what());
        }
    }
    return problems;
}

bool OutputFiles::report_problems(std::ostream& err) const
{
    const auto found = problems();
    for (const auto& problem : found)
        err << "compilescope-cli: error: " << problem << "\n";
    err << std::flush;
    return !found.empty();
}

OutputFiles::Outcome OutputFiles::write(const RunResult& run, std::ostream& out) const
{
    Outcome outcome;
    for (const auto& file : m_files) {
        const auto text = render(file.type, run);
        if (file.path == "-") {
            // Standard output can fail like any file (a full disk, /dev/full, a closed pipe): the stream's state
            // after the flush is the only sign, and the stdio error behind it (ENOSPC, EPIPE) the reason.
            errno = 0;
            out << text << std::flush;
            if (!out) {
                const int error_number = errno;
                outcome.failures.push_back(flag_of(file.type) + ": cannot write the report to standard output: "
                    + (error_number ? std::strerror(error_number) : "the stream failed"));
                out.clear(); // later reports and messages are tried again rather than dropped silently
            }
            continue;
        }
        try {
            write_file_atomically(file.path, text);
            outcome.written.push_back(file.path);
        } catch (const FileError& error) {
            outcome.failures.push_back(flag_of(file.type) + ": " + error.what());
        }
    }
    return outcome;
}

} // namespace compilescope::cli
