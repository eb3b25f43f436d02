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

    enum class ReadStatus { line, timeout, closed };
    /// Waits at most timeout_ms for a complete line of the child's output. closed: the child closed its output
    /// (it exited or crashed; exit_description() says how).
    ReadStatus read_line(std::string& line, int timeout_ms);

    /// True until the child has exited (reaps it without blocking).
    bool running();

    /// Asks the child to stop (SIGTERM, after closing its input), waits up to grace_ms, then kills it (SIGKILL).
    /// Idempotent.
    void stop(int grace_ms = 1000);

    /// The first half of stop(), without waiting: several children can then be asked at once and stopped together.
    void terminate();

    /// "exited with status 1", "killed by signal 11 (Segmentation fault)"; "" while running.
    std::string exit_description() const;

private:
    void reap(bool block);

    pid_t m_pid = -1;
    int m_input = -1;
    int m_output = -1;
    std::string m_buffer;
    std::optional<int> m_wait_status;
};

/// A new directory only this user can enter, under $TMPDIR (or /tmp), named <prefix>-XXXXXX. Throws when it cannot.
std::string make_private_temp_directory(const std::string& prefix);

/// Removes `path` and everything under it, best effort (what cannot go stays). Nothing for "".
void remove_tree(const std::string& path);

/// The last non-empty line of a text file, cut to max_chars ("" when there is none): the line a Python traceback
/// ends with names the error.
std::string last_line_of_file(const std::string& path, size_t max_chars = 300);

} // namespace compilescope
