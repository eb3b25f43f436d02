// Runs the built compilescope-cli as a child process and captures what it prints and returns.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace compilescope::test {

struct ProcessResult {
    int exit_code = -1; ///< the exit status, or 128 + N when signal N ended the process
    std::string out;
    std::string err;
};

/// How the child starts, past its arguments.
struct CliSetup {
    std::string stdout_path; ///< empty: standard output is captured; else the file it goes to (e.g. /dev/full)
    std::vector<std::string> environment; ///< "NAME=value" entries added to this process's environment
};

/// Runs compilescope-cli with `arguments` to completion. `on_stderr_line` sees each line of stderr as it arrives,
/// with the child's pid (e.g. to send it a signal).
ProcessResult run_cli(const std::vector<std::string>& arguments, const CliSetup& setup,
    const std::function<void(const std::string& line, int pid)>& on_stderr_line = {});
inline ProcessResult run_cli(const std::vector<std::string>& arguments,
    const std::function<void(const std::string& line, int pid)>& on_stderr_line = {})
{
    return run_cli(arguments, CliSetup {}, on_stderr_line);
}

/// A fresh directory under the system's temporary folder, removed with everything in it on destruction.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    std::string file(const std::string& name) const { return m_path + "/" + name; }
    /// Whether the directory holds no entries at all (nothing written, not even a temporary file).
    bool empty() const;

private:
    std::string m_path;
};

std::string read_text(const std::string& path);

} // namespace compilescope::test
