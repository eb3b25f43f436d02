#include "compilescope/journal.h"

#include "compilescope/failpoints.h"
#include "compilescope/file_io.h"
#include "compilescope/reports.h"
#include "compilescope/run_json.h"
#include "compilescope/run_validation.h"
#include "compilescope/sweep_stream.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <optional>
#include <sys/file.h>
#include <unistd.h>

namespace compilescope {

namespace {

/// The header line's format marker and version: a journal is recognised by it, not by its name.
constexpr const char* format_key = "compilescope_journal";
constexpr int format_version = 1;

std::string header_line(const JournalOutputs& outputs)
{
    const run_json::Json header { { format_key, format_version }, { "outputs", outputs } };
    return run_json::dump(header) + "\n";
}

JournalOutputs read_header(const std::string& line, const std::string& path)
{
    const std::string not_a_journal = path + " is not a CompileScope journal";
    const run_json::Json header = run_json::parse(line, not_a_journal + ": ");
    if (!header.is_object() || !header.contains(format_key))
        throw RunFileError(not_a_journal + " (its first line has no \"" + std::string(format_key) + "\")");
    JournalOutputs outputs;
    int version = 0;
    try {
        run_json::read(header, format_key, version);
        run_json::read_if_present(header, "outputs", outputs);
    } catch (const run_json::FieldError& error) {
        throw RunFileError(not_a_journal + ": field \"" + error.path() + "\" " + error.problem());
    }
    if (version != format_version)
        throw RunFileError(path + ": journal version " + std::to_string(version)
            + " is not supported (this build reads version " + std::to_string(format_version) + ")");
    return outputs;
}

} // namespace

JournalWriter::JournalWriter(const std::string& path, const JournalOutputs& outputs, bool resume)
    : m_path(path)
{
    const int flags = O_WRONLY | O_APPEND | O_CLOEXEC | (resume ? 0 : O_CREAT | O_EXCL);
    // The user's alone, whatever the umask: read_journal refuses a journal others can write.
    m_fd = ::open(path.c_str(), flags, 0600);
    if (m_fd < 0)
        throw FileError("cannot " + std::string(resume ? "continue the journal " : "create the journal ") + path + ": "
            + std::strerror(errno));
    // Held until the process ends, however it ends: how a reader tells a live sweep's journal from a dead one's.
    if (::flock(m_fd, LOCK_EX | LOCK_NB) != 0) {
        const int error_number = errno;
        ::close(m_fd);
        m_fd = -1;
        throw FileError(error_number == EWOULDBLOCK
                ? "the journal " + path + " is being written by a running sweep"
                : "cannot lock the journal " + path + ": " + std::strerror(error_number));
    }
    if (!resume)
        append(header_line(outputs));
    if (!m_error.empty()) {
        // Not even the header: no journal at all rather than an empty one that run and resume would both refuse.
        if (!resume)
            ::unlink(path.c_str());
        ::close(m_fd);
        m_fd = -1;
        throw FileError(m_error);
    }
}

JournalWriter::~JournalWriter()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

void JournalWriter::started(const RunResult& header)
{
    SweepEvent event;
    event.kind = SweepEvent::Kind::started;
    event.run = header;
    event.run.measurements.clear();
    append(stream_line(event));
}

void JournalWriter::measurement(const Measurement& measurement)
{
    SweepEvent event;
    event.kind = SweepEvent::Kind::measurement;
    event.measurement = measurement;
    append(stream_line(event));
}

void JournalWriter::append(const std::string& line)
{
    if (m_fd < 0)
        return;
    m_pending.push_back(line);
    flush_pending();
}

bool JournalWriter::flush_pending()
{
    while (!m_pending.empty()) {
        // One write per line: with O_APPEND the line lands whole, or (killed mid-write) torn at the very end.
        const std::string line = (m_torn ? "\n" : "") + m_pending.front();
        size_t written = 0;
        while (written < line.size()) {
            const std::optional<std::string> fault = failpoints::hit("journal_write");
            const ssize_t count = fault ? -1 : ::write(m_fd, line.data() + written, line.size() - written);
            if (fault)
                errno = *fault == "eio" ? EIO : ENOSPC;
            if (count < 0 && errno == EINTR)
                continue;
            if (count <= 0) {
                m_error = "cannot write the journal " + m_path + ": " + std::strerror(count < 0 ? errno : EIO);
                m_torn = m_torn || written > 0;
                return false;
            }
            written += static_cast<size_t>(count);
        }
        m_torn = false;
        m_pending.pop_front();
    }
    m_error.clear();
    return true;
}

void JournalWriter::remove()
{
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
    ::unlink(m_path.c_str());
}

Journal read_journal(const std::string& path)
{
    // A symbolic link is refused too: resuming through it would remove the link and leave the journal behind.
    check_trusted_file(path, "journal", "a journal names the program a resume runs and the files it writes");
    const std::string text = read_file(path);
    Journal journal;
    bool started = false;
    std::string unreadable_start; ///< why the first unreadable line before the start could not be read
    size_t start = 0;
    bool first = true;
    while (start < text.size()) {
        size_t end = text.find('\n', start);
        const bool complete = end != std::string::npos;
        if (!complete)
            end = text.size();
        const std::string line = text.substr(start, end - start);
        start = end + 1;
        if (first) {
            journal.outputs = read_header(line, path);
            first = false;
            continue;
        }
        SweepEvent event;
        try {
            event = parse_stream_line(line);
        } catch (const RunFileError& error) {
            ++journal.torn_lines;
            if (!started && unreadable_start.empty())
                unreadable_start = error.what();
            continue;
        }
        if (event.kind == SweepEvent::Kind::started && !started) {
            journal.run = std::move(event.run);
            journal.run.measurements.clear();
            started = true;
        } else if (event.kind == SweepEvent::Kind::measurement && started) {
            auto& measurements = journal.run.measurements;
            measurements.erase(std::remove_if(measurements.begin(), measurements.end(),
                                   [&](const Measurement& m) { return same_measurement(m, event.measurement); }),
                measurements.end());
            if (event.measurement.status != MeasurementStatus::cancelled) {
                std::vector<std::string>& notes = event.measurement.notes;
                if (std::find(notes.begin(), notes.end(), earlier_attempt_note) == notes.end())
                    notes.emplace_back(earlier_attempt_note);
                measurements.push_back(std::move(event.measurement));
            }
        }
    }
    if (first)
        throw RunFileError(path + " is empty: not a CompileScope journal");
    if (!started && !unreadable_start.empty())
        throw RunFileError(path + ": the line with the sweep's configuration is unreadable: " + unreadable_start);
    if (!started)
        throw RunFileError(path + ": the sweep never started (the journal records no configuration)");
    // What a resume would run and report must be a run the program could have written, as `report` demands.
    try {
        check_possible(journal.run);
    } catch (const RunFileError& error) {
        throw RunFileError(path + ": " + error.what());
    }
    return journal;
}

bool journal_in_use(const std::string& path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    const bool locked = ::flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
    ::close(fd);
    return locked;
}

std::string journal_path_for(const std::string& report_path)
{
    return report_path + ".journal";
}

} // namespace compilescope
