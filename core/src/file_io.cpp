#include "compilescope/file_io.h"

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace compilescope {

namespace {

std::string reason(int error_number)
{
    return std::strerror(error_number);
}

[[noreturn]] void fail(const std::string& what, const std::string& path, int error_number)
{
    throw FileError(what + " " + path + ": " + reason(error_number));
}

std::string directory_of(const std::string& path)
{
    const size_t slash = path.rfind('/');
    if (slash == std::string::npos)
        return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

/// Creates a new, empty file beside `path` that no one else has, and returns its descriptor and name.
/// O_EXCL with a per-process counter avoids both races and clobbering; mode 0666 lets the umask decide, as for
/// any file the user creates.
int create_sibling(const std::string& path, const char* purpose, std::string& created)
{
    static std::atomic<unsigned> counter { 0 };
    const std::string directory = directory_of(path);
    const size_t slash = path.rfind('/');
    const std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
    for (int attempt = 0; attempt < 100; ++attempt) {
        created = directory + "/." + base + "." + purpose + "." + std::to_string(::getpid()) + "."
            + std::to_string(counter.fetch_add(1));
        const int fd = ::open(created.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    errno = EEXIST;
    return -1;
}

void check_target(const std::string& path)
{
    if (path.empty())
        throw FileError("cannot write to an empty path");
    struct stat info { };
    if (::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode))
        throw FileError("cannot write " + path + ": it is a directory");
}

} // namespace

void write_file_atomically(const std::string& path, const std::string& content)
{
    check_target(path);
    std::string temporary;
    const int fd = create_sibling(path, "tmp", temporary);
    if (fd < 0)
        fail("cannot write", path, errno);

    auto abandon = [&](const char* what) {
        const int error_number = errno;
        ::close(fd);
        ::unlink(temporary.c_str());
        fail(what, path, error_number);
    };
    size_t written = 0;
    while (written < content.size()) {
        const ssize_t count = ::write(fd, content.data() + written, content.size() - written);
        if (count < 0) {
            if (errno == EINTR)
                continue;
            abandon("cannot write");
        }
        written += static_cast<size_t>(count);
    }
    // A rename that reaches the disk before the data would leave an empty file after a crash.
    if (::fsync(fd) != 0)
        abandon("cannot flush");
    if (::close(fd) != 0) {
        const int error_number = errno;
        ::unlink(temporary.c_str());
        fail("cannot write", path, error_number);
    }
    if (::rename(temporary.c_str(), path.c_str()) != 0) {
        const int error_number = errno;
        ::unlink(temporary.c_str());
        fail("cannot replace", path, error_number);
    }
    // Make the rename itself durable; a failure here cannot undo it, so it is not an error.
    const int directory = ::open(directory_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (directory >= 0) {
        ::fsync(directory);
        ::close(directory);
    }
}

std::string read_file(const std::string& path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        fail("cannot read", path, errno);
    std::string content;
    char buffer[65536];
    while (true) {
        const ssize_t count = ::read(fd, buffer, sizeof buffer);
        if (count == 0)
            break;
        if (count < 0) {
            if (errno == EINTR)
                continue;
            const int error_number = errno;
            ::close(fd);
            fail("cannot read", path, error_number);
        }
        content.append(buffer, static_cast<size_t>(count));
    }
    ::close(fd);
    return content;
}

void check_writable(const std::string& path)
{
    check_target(path);
    // Probe with a new file beside the target: the directory must accept a file for the atomic rename, and the
    // target itself, if it exists, stays untouched.
    std::string probe;
    const int fd = create_sibling(path, "probe", probe);
    if (fd < 0)
        fail("cannot write", path, errno);
    ::close(fd);
    ::unlink(probe.c_str());
}

} // namespace compilescope
