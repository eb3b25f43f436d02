#include "compilescope/child_process.h"

#include "compilescope/run_afresh.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <climits>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <ftw.h>
#include <iterator>
#include <poll.h>
#include <spawn.h>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace compilescope {

namespace {

std::vector<char*> c_strings(std::vector<std::string>& strings)
{
    std::vector<char*> pointers;
    for (std::string& text : strings)
        pointers.push_back(text.data());
    pointers.push_back(nullptr);
    return pointers;
}

void close_fd(int& fd)
{
    if (fd >= 0) {
        ::close(fd);
        fd = -1;
    }
}

} // namespace

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const std::vector<std::string>& extra_environment,
    const std::string& stderr_path)
{
    int to_child[2];
    int from_child[2];
    if (::pipe2(to_child, O_CLOEXEC) != 0)
        throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    if (::pipe2(from_child, O_CLOEXEC) != 0) {
        const int error = errno;
        ::close(to_child[0]);
        ::close(to_child[1]);
        throw std::runtime_error(std::string("pipe: ") + std::strerror(error));
    }

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, to_child[0], STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, from_child[1], STDOUT_FILENO);
    if (!stderr_path.empty())
        posix_spawn_file_actions_addopen(
            &actions, STDERR_FILENO, stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);

    std::vector<std::string> arguments = argv;
    std::vector<std::string> environment;
    for (char** entry = environ; *entry != nullptr; ++entry)
        environment.emplace_back(*entry);
    environment.insert(environment.end(), extra_environment.begin(), extra_environment.end());
    std::vector<char*> c_argv = c_strings(arguments);
    std::vector<char*> c_environment = c_strings(environment);

    // The child starts with no blocked signals and default actions: the CLI blocks its stop signals in every thread
    // and ignores SIGPIPE, and both masks and ignored signals would otherwise survive exec (a child that cannot be
    // stopped with SIGTERM).
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attributes, &none);
    sigset_t defaults;
    sigemptyset(&defaults);
    for (int signal_number : { SIGINT, SIGTERM, SIGHUP, SIGPIPE })
        sigaddset(&defaults, signal_number);
    posix_spawnattr_setsigdefault(&attributes, &defaults);
    // A process group of its own, so that stop() reaches whatever it started too: a grandchild that kept the
    // output pipe open would otherwise outlive it and keep a reader waiting.
    posix_spawnattr_setpgroup(&attributes, 0);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);

    const int status = ::posix_spawnp(&m_pid, c_argv[0], &actions, &attributes, c_argv.data(), c_environment.data());
    posix_spawnattr_destroy(&attributes);
    posix_spawn_file_actions_destroy(&actions);
    ::close(to_child[0]);
    ::close(from_child[1]);
    if (status != 0) {
        ::close(to_child[1]);
        ::close(from_child[0]);
        m_pid = -1;
        throw std::runtime_error("cannot start " + argv.front() + ": " + std::strerror(status));
    }
    m_input = to_child[1];
    m_output = from_child[0];
}

ChildProcess::~ChildProcess()
{
    stop();
}

bool ChildProcess::write_line(const std::string& line)
{
    if (m_input < 0)
        return false;
    const std::string text = line + "\n";
    size_t written = 0;
    while (written < text.size()) {
        // MSG_NOSIGNAL does not apply to pipes: a child that exited would raise SIGPIPE, so block it for this write.
        sigset_t pipe_signal;
        sigset_t previous;
        sigemptyset(&pipe_signal);
        sigaddset(&pipe_signal, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &pipe_signal, &previous);
        const ssize_t count = ::write(m_input, text.data() + written, text.size() - written);
        const int error = errno;
        if (count < 0 && error == EPIPE) {
            // Discard the pending SIGPIPE before unblocking, so it is never delivered.
            const timespec zero {};
            sigtimedwait(&pipe_signal, nullptr, &zero);
        }
        pthread_sigmask(SIG_SETMASK, &previous, nullptr);
        if (count < 0) {
            if (error == EINTR)
                continue;
            return false;
        }
        written += size_t(count);
    }
    return true;
}

ChildProcess::ReadStatus ChildProcess::read_line(std::string& line, int timeout_ms)
{
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    for (;;) {
        const size_t newline = m_buffer.find('\n');
        if (newline != std::string::npos) {
            line = m_buffer.substr(0, newline);
            m_buffer.erase(0, newline + 1);
            return ReadStatus::line;
        }
        if (m_output < 0)
            return ReadStatus::closed;
        if (m_buffer.size() > max_line_bytes) {
            m_flooded = true;
            close_fd(m_output);
            return ReadStatus::closed;
        }
        const auto left
            = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now())
                  .count();
        if (left <= 0)
            return ReadStatus::timeout;
        pollfd descriptor { m_output, POLLIN, 0 };
        const int ready = ::poll(&descriptor, 1, int(std::min<long long>(left, liveness_poll_ms)));
        if (ready < 0 && errno != EINTR)
            return ReadStatus::closed;
        if (ready == 0 && !running()) {
            // Exited, with its output still open elsewhere (a grandchild): nothing more will come from it.
            close_fd(m_output);
            return ReadStatus::closed;
        }
        if (ready <= 0)
            continue;
        char chunk[65536];
        const ssize_t count = ::read(m_output, chunk, sizeof chunk);
        if (count > 0) {
            m_buffer.append(chunk, size_t(count));
        } else if (count == 0 || errno != EINTR) {
            // The end of its output, which need not be its end: a child that is exiting is reaped within a moment
            // (its pipe closes before it becomes a zombie), one that goes on running is not waited for.
            close_fd(m_output);
            for (int waited_ms = 0; running() && waited_ms < exit_wait_ms; waited_ms += 5)
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }
}

bool ChildProcess::running()
{
    reap(false);
    return m_pid > 0 && !m_wait_status;
}

void ChildProcess::reap(bool block)
{
    if (m_pid <= 0 || m_wait_status)
        return;
    int status = 0;
    pid_t result;
    do {
        result = ::waitpid(m_pid, &status, block ? 0 : WNOHANG);
    } while (result < 0 && errno == EINTR);
    if (result == m_pid) {
        m_wait_status = status;
        // Whatever it started and left behind goes with it: the group keeps the child's id while any member lives,
        // so this reaches no other process.
        ::kill(-m_pid, SIGKILL);
    }
}

void ChildProcess::terminate()
{
    close_fd(m_input);
    if (running())
        ::kill(-m_pid, SIGTERM);
}

void ChildProcess::stop(int grace_ms)
{
    close_fd(m_input);
    if (running()) {
        ::kill(-m_pid, SIGTERM);
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(grace_ms);
        while (running() && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        if (running()) {
            ::kill(-m_pid, SIGKILL);
            reap(true);
        }
    }
    close_fd(m_output);
}

std::optional<int> ChildProcess::exit_status() const
{
    if (m_wait_status && WIFEXITED(*m_wait_status))
        return WEXITSTATUS(*m_wait_status);
    return std::nullopt;
}

std::optional<int> ChildProcess::exit_signal() const
{
    if (m_wait_status && WIFSIGNALED(*m_wait_status))
        return WTERMSIG(*m_wait_status);
    return std::nullopt;
}

std::string ChildProcess::exit_description() const
{
    if (m_flooded)
        return "wrote more than " + std::to_string(max_line_bytes >> 20) + " MiB without a line break";
    if (!m_wait_status)
        return m_output < 0 && m_pid > 0 ? "closed its output but kept running" : "";
    const int status = *m_wait_status;
    if (WIFEXITED(status))
        return "exited with status " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) {
        const int signal = WTERMSIG(status);
        const char* name = ::strsignal(signal);
        return "killed by signal " + std::to_string(signal) + (name ? std::string(" (") + name + ")" : "");
    }
    return "ended (wait status " + std::to_string(status) + ")";
}

std::string make_private_temp_directory(const std::string& prefix)
{
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/" + prefix + "-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr)
        throw std::runtime_error("cannot create a temporary directory " + pattern + ": " + std::strerror(errno));
    return pattern;
}

void remove_tree(const std::string& path)
{
    if (path.empty())
        return;
    ::nftw(
        path.c_str(),
        [](const char* entry, const struct stat*, int, struct FTW*) {
            ::remove(entry);
            return 0;
        },
        16, FTW_DEPTH | FTW_PHYS);
}

std::string last_line_of_file(const std::string& path, size_t max_chars)
{
    // Only the end: a child that wrote gigabytes of warnings must not cost as much memory to report.
    constexpr std::streamoff tail_bytes = 64 << 10;
    std::ifstream file(path, std::ios::binary);
    file.seekg(0, std::ios::end);
    const std::streamoff size = file ? std::streamoff(file.tellg()) : 0;
    file.seekg(std::max<std::streamoff>(0, size - tail_bytes));
    std::string text((std::istreambuf_iterator<char>(file)), {});
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
        text.pop_back();
    const size_t start = text.rfind('\n');
    std::string last = start == std::string::npos ? text : text.substr(start + 1);
    return last.size() > max_chars ? last.substr(0, max_chars - 3) + "..." : last;
}

void run_afresh(std::vector<std::string> arguments)
{
    std::vector<char*> c_argv = c_strings(arguments);
    ::execv("/proc/self/exe", c_argv.data());
}

std::string executable_directory()
{
    char buffer[PATH_MAX];
    const ssize_t length = ::readlink("/proc/self/exe", buffer, sizeof buffer - 1);
    if (length <= 0)
        return "";
    std::string path(buffer, size_t(length));
    return path.substr(0, path.rfind('/'));
}

} // namespace compilescope
