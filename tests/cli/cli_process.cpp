#include "cli_process.h"

#include <array>
#include <cstdlib>
#include <dirent.h>
#include <fcntl.h>
#include <fstream>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace compilescope::test {

namespace {

void check(int result, const char* what)
{
    if (result != 0)
        throw std::runtime_error(std::string(what) + " failed");
}

} // namespace

ProcessResult run_cli(const std::vector<std::string>& arguments, const CliSetup& setup,
    const std::function<void(const std::string& line, int pid)>& on_stderr_line)
{
    std::vector<std::string> command { COMPILESCOPE_CLI_PATH };
    command.insert(command.end(), arguments.begin(), arguments.end());
    std::vector<char*> argv;
    for (auto& argument : command)
        argv.push_back(argument.data());
    argv.push_back(nullptr);
    std::vector<std::string> variables = setup.environment;
    for (char** variable = environ; *variable != nullptr; ++variable)
        variables.emplace_back(*variable);
    std::vector<char*> envp;
    for (auto& variable : variables)
        envp.push_back(variable.data());
    envp.push_back(nullptr);

    const bool capture_stdout = setup.stdout_path.empty();
    int out_pipe[2] = { -1, -1 };
    int err_pipe[2];
    if (capture_stdout)
        check(pipe(out_pipe), "pipe");
    check(pipe(err_pipe), "pipe");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    if (capture_stdout)
        posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
    else
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, setup.stdout_path.c_str(), O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
    for (const int fd : { out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1] })
        if (fd >= 0)
            posix_spawn_file_actions_addclose(&actions, fd);
    pid_t pid = 0;
    const int spawned = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    for (const int fd : { out_pipe[1], err_pipe[1] })
        if (fd >= 0)
            close(fd);
    if (spawned != 0) {
        for (const int fd : { out_pipe[0], err_pipe[0] })
            if (fd >= 0)
                close(fd);
        throw std::runtime_error(std::string("cannot start ") + COMPILESCOPE_CLI_PATH);
    }

    ProcessResult result;
    std::string pending_line;
    std::array<pollfd, 2> fds { { { out_pipe[0], POLLIN, 0 }, { err_pipe[0], POLLIN, 0 } } }; // poll skips fd -1
    int open_pipes = capture_stdout ? 2 : 1;
    while (open_pipes > 0) {
        if (poll(fds.data(), fds.size(), -1) < 0)
            continue;
        for (size_t i = 0; i < fds.size(); ++i) {
            if (fds[i].fd < 0 || fds[i].revents == 0)
                continue;
            char buffer[4096];
            const ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
            if (n <= 0) {
                close(fds[i].fd);
                fds[i].fd = -1;
                --open_pipes;
                continue;
            }
            if (i == 0) {
                result.out.append(buffer, static_cast<size_t>(n));
                continue;
            }
            result.err.append(buffer, static_cast<size_t>(n));
            pending_line.append(buffer, static_cast<size_t>(n));
            for (auto newline = pending_line.find('\n'); newline != std::string::npos;
                 newline = pending_line.find('\n')) {
                if (on_stderr_line)
                    on_stderr_line(pending_line.substr(0, newline), pid);
                pending_line.erase(0, newline + 1);
            }
        }
    }
    int status = 0;
    waitpid(pid, &status, 0);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return result;
}

// POSIX calls instead of std::filesystem's directory walks: pip's LibTorch carries its own copy of those
// (linked from the manylinux toolchain) which crashed remove_all of a non-empty folder on the GPU server.
TempDir::TempDir()
{
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/compilescope-cli-test-XXXXXX";
    if (!mkdtemp(pattern.data()))
        throw std::runtime_error("mkdtemp failed");
    m_path = pattern;
}

TempDir::~TempDir()
{
    nftw(
        m_path.c_str(), [](const char* path, const struct stat*, int, FTW*) { return ::remove(path); }, 16,
        FTW_DEPTH | FTW_PHYS);
}

bool TempDir::empty() const
{
    DIR* dir = opendir(m_path.c_str());
    if (!dir)
        return false;
    bool found = false;
    while (const dirent* entry = readdir(dir)) {
        const std::string name = entry->d_name;
        if (name != "." && name != "..") {
            found = true;
            break;
        }
    }
    closedir(dir);
    return !found;
}

std::string read_text(const std::string& path)
{
    std::ifstream file(path, std::ios::binary);
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

} // namespace compilescope::test
