// A child process with its standard input and output as pipes: start, write lines, read lines with a timeout,
// stop. LibTorch-free and Qt-free (POSIX), so the sweep can drive the Python reference script and tests can drive
// anything.
#pragma once

#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace compilescope {

class ChildProcess {
public:
    /// Starts `argv` (argv[0] searched in PATH) with `extra_environment` ("NAME=value") added to this process's
    /// environment. Its standard error goes to `stderr_path` ("" keeps this process's). Throws std::runtime_error
    /// when it cannot be started.
    ChildProcess(const std::vector<std::string>& argv, const std::vector<std::string>& extra_environment,
        const std::string& stderr_path = "");
    /// Stops the child (see stop()).
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    /// Writes one line (a newline is appended). False when the child no longer reads (it exited).
    bool write_line(const std::string& line);

    /// The longest line read_line() takes: far above any protocol line (a reply with 10,000 samples is ~200 KB).
    static constexpr size_t max_line_bytes = size_t(16) << 20;

    enum class ReadStatus { line, timeout, closed };
    /// Waits at most timeout_ms for a complete line of the child's output. closed: nothing more will be read, and
    /// exit_description() says why: the child exited or crashed, closed its output, or wrote more than
    /// max_line_bytes without a line break. A child that exited while a process it started holds its output open
    /// is closed too, within a tenth of a second.
    ReadStatus read_line(std::string& line, int timeout_ms);

    /// True until the child has exited (reaps it without blocking).
    bool running();

    pid_t pid() const { return m_pid; }

    /// Asks the child to stop (SIGTERM, after closing its input), waits up to grace_ms, then kills it (SIGKILL),
    /// with every process it started: it runs in a process group of its own. Idempotent.
    void stop(int grace_ms = 1000);

    /// The first half of stop(), without waiting: several children can then be asked at once and stopped together.
    void terminate();

    /// The status the child exited with; nullopt while it runs, or when a signal ended it.
    std::optional<int> exit_status() const;
    /// The signal that ended the child; nullopt while it runs, or when it exited.
    std::optional<int> exit_signal() const;

    /// "exited with status 1", "killed by signal 11 (Segmentation fault)", "closed its output but kept running",
    /// "wrote more than 16 MiB without a line break"; "" while running and read.
    std::string exit_description() const;

private:
    void reap(bool block);

    /// How often a read that waits for a line checks that the child still runs.
    static constexpr int liveness_poll_ms = 100;
    /// How long a child whose output ended is given to exit before it is said to have "closed its output".
    static constexpr int exit_wait_ms = 500;

    pid_t m_pid = -1;
    int m_input = -1;
    int m_output = -1;
    std::string m_buffer;
    std::optional<int> m_wait_status;
    bool m_flooded = false;
};

/// A new directory only this user can enter, under $TMPDIR (or /tmp), named <prefix>-XXXXXX. Throws when it cannot.
std::string make_private_temp_directory(const std::string& prefix);

/// Removes `path` and everything under it, best effort (what cannot go stays). Nothing for "".
void remove_tree(const std::string& path);

/// The last non-empty line of a text file, cut to max_chars ("" when there is none): the line a Python traceback
/// ends with names the error.
std::string last_line_of_file(const std::string& path, size_t max_chars = 300);

} // namespace compilescope
