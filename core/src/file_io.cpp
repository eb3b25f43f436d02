#include "compilescope/file_io.h"

#include "compilescope/failpoints.h"

#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <sys/stat.h>
#include <system_error>
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

/// What a file that is not regular is, for messages: "a FIFO", "a character device".
std::string kind_of(mode_t mode)
{
    if (S_ISDIR(mode))
        return "a directory";
    if (S_ISFIFO(mode))
        return "a FIFO";
    if (S_ISCHR(mode))
        return "a character device";
    if (S_ISBLK(mode))
        return "a block device";
    if (S_ISSOCK(mode))
        return "a socket";
    if (S_ISLNK(mode))
        return "a symbolic link";
    return "a special file";
}

std::string size_text(int64_t bytes)
{
    if (bytes < (1 << 20))
        return std::to_string(bytes) + " bytes";
    char text[32];
    std::snprintf(text, sizeof text, "%.1f MiB", double(bytes) / double(1 << 20));
    return text;
}

/// Closes a descriptor on every path out of a function.
class Descriptor {
public:
    explicit Descriptor(int fd)
        : m_fd(fd)
    {
    }
    ~Descriptor()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Descriptor(const Descriptor&) = delete;
    Descriptor& operator=(const Descriptor&) = delete;
    int get() const { return m_fd; }

private:
    int m_fd;
};

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

/// Where a write to `path` lands: the path itself, or the end of its chain of symbolic links (a dangling link's
/// target is created, as `cp` would).
struct Target {
    std::string path;
    bool exists = false;
    struct stat info { };
};

Target resolve_target(const std::string& path)
{
    if (path.empty())
        throw FileError("cannot write to an empty path");
    Target target;
    target.path = path;
    // Following the links by hand (not realpath) keeps a dangling link's target writable and the directory
    // relative to the link, as the kernel resolves it. 40 hops is the kernel's own limit (ELOOP).
    for (int hops = 0;; ++hops) {
        if (::lstat(target.path.c_str(), &target.info) != 0) {
            if (errno != ENOENT)
                fail("cannot write", path, errno);
            return target; // a new file; a missing directory is reported when the temporary cannot be created
        }
        if (!S_ISLNK(target.info.st_mode))
            break;
        if (hops == 40)
            fail("cannot write", path, ELOOP);
        char link[PATH_MAX];
        const ssize_t length = ::readlink(target.path.c_str(), link, sizeof link - 1);
        if (length < 0)
            fail("cannot write", path, errno);
        const std::string destination(link, static_cast<size_t>(length));
        target.path = destination.front() == '/' ? destination : directory_of(target.path) + "/" + destination;
    }
    target.exists = true;
    const std::string named = target.path == path ? path : path + " (a link to " + target.path + ")";
    if (S_ISDIR(target.info.st_mode))
        throw FileError("cannot write " + named + ": it is a directory");
    // Renaming over a FIFO, a device node or a socket would replace the node itself (as root, `--json /dev/null`
    // would delete the system's /dev/null), so only regular files are replaced.
    if (!S_ISREG(target.info.st_mode))
        throw FileError("cannot write " + named + ": it is not a regular file (" + kind_of(target.info.st_mode) + ")");
    // Root passes access(W_OK) on any file, so the mode bits decide, as for `cp`: no write bit for anyone means
    // the file is meant to stay as it is.
    if ((target.info.st_mode & 0222) == 0) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", unsigned(target.info.st_mode & 07777));
        throw FileError("cannot write " + named + ": the file is read-only (mode " + mode + ")");
    }
    if (::access(target.path.c_str(), W_OK) != 0)
        fail("cannot write", named, errno);
    return target;
}

void write_all(int fd, const char* data, size_t size)
{
    size_t written = 0;
    while (written < size) {
        const ssize_t count = ::write(fd, data + written, size - written);
        if (count < 0) {
            if (errno == EINTR)
                continue;
            throw std::system_error(errno, std::generic_category());
        }
        written += static_cast<size_t>(count);
    }
}

/// The failpoint "file_write": the errno its action stands for.
int injected_error(const std::string& action)
{
    if (action == "enospc")
        return ENOSPC;
    if (action == "eacces")
        return EACCES;
    if (action == "eio")
        return EIO;
    throw std::invalid_argument("failpoint file_write: unknown action '" + action + "' (allowed: enospc, eacces, eio)");
}

} // namespace

void write_file_atomically(const std::string& path, const std::string& content)
{
    const Target target = resolve_target(path);
    std::string temporary;
    const int fd = create_sibling(target.path, "tmp", temporary);
    if (fd < 0)
        fail("cannot write", path, errno);

    auto abandon = [&](const char* what, int error_number) {
        ::close(fd);
        ::unlink(temporary.c_str());
        fail(what, path, error_number);
    };
    try {
        const size_t half = content.size() / 2;
        write_all(fd, content.data(), half);
        if (const auto action = failpoints::hit("file_write")) {
            const int error_number = injected_error(*action);
            abandon("cannot write", error_number);
        }
        write_all(fd, content.data() + half, content.size() - half);
    } catch (const std::system_error& error) {
        abandon("cannot write", error.code().value());
    } catch (const std::invalid_argument&) {
        ::close(fd);
        ::unlink(temporary.c_str());
        throw;
    }
    if (target.exists) {
        // Keep what the replaced file was: its owner where we may set it (root, or our own group), then its mode
        // (after the owner, since chown clears set-user-ID bits).
        if (target.info.st_uid != ::geteuid() || target.info.st_gid != ::getegid()) {
            if (::fchown(fd, target.info.st_uid, target.info.st_gid) != 0) {
                // Not ours to give away: the new file is the writer's, as after `cp` over a file one may write.
            }
        }
        if (::fchmod(fd, target.info.st_mode & 07777) != 0)
            abandon("cannot keep the mode of", errno);
    }
    // A rename that reaches the disk before the data would leave an empty file after a crash.
    if (::fsync(fd) != 0)
        abandon("cannot flush", errno);
    if (::close(fd) != 0) {
        const int error_number = errno;
        ::unlink(temporary.c_str());
        fail("cannot write", path, error_number);
    }
    if (::rename(temporary.c_str(), target.path.c_str()) != 0) {
        const int error_number = errno;
        ::unlink(temporary.c_str());
        fail("cannot replace", path, error_number);
    }
    // Make the rename itself durable; a failure here cannot undo it, so it is not an error.
    const int directory = ::open(directory_of(target.path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (directory >= 0) {
        ::fsync(directory);
        ::close(directory);
    }
}

std::string read_file(const std::string& path, std::int64_t max_bytes)
{
    // O_NONBLOCK: opening a FIFO without a writer would otherwise wait forever; it is refused below.
    const Descriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
    if (fd.get() < 0)
        fail("cannot read", path, errno);
    struct stat info { };
    if (::fstat(fd.get(), &info) != 0)
        fail("cannot read", path, errno);
    if (S_ISDIR(info.st_mode))
        throw FileError("cannot read " + path + ": it is a directory");
    // A device (/dev/zero) or a FIFO has no size to check and may never end.
    if (!S_ISREG(info.st_mode))
        throw FileError("cannot read " + path + ": it is not a regular file (" + kind_of(info.st_mode) + ")");
    const std::string too_large
        = "cannot read " + path + ": the file is larger than the limit of " + size_text(max_bytes) + " (";
    if (info.st_size > max_bytes)
        throw FileError(too_large + size_text(info.st_size) + ")");
    const int flags = ::fcntl(fd.get(), F_GETFL);
    if (flags < 0 || ::fcntl(fd.get(), F_SETFL, flags & ~O_NONBLOCK) != 0)
        fail("cannot read", path, errno);

    std::string content;
    content.reserve(static_cast<size_t>(info.st_size));
    char buffer[65536];
    while (true) {
        const ssize_t count = ::read(fd.get(), buffer, sizeof buffer);
        if (count == 0)
            break;
        if (count < 0) {
            if (errno == EINTR)
                continue;
            fail("cannot read", path, errno);
        }
        content.append(buffer, static_cast<size_t>(count));
        // A file that grows while it is read, or one whose size stat does not know (/proc), is held to the limit
        // as it arrives.
        if (content.size() > static_cast<size_t>(max_bytes))
            throw FileError(too_large + "more than that was read)");
    }
    return content;
}

void check_writable(const std::string& path)
{
    const Target target = resolve_target(path);
    // Probe with a new file beside the target: the directory must accept a file for the atomic rename, and the
    // target itself, if it exists, stays untouched.
    std::string probe;
    const int fd = create_sibling(target.path, "probe", probe);
    if (fd < 0)
        fail("cannot write", path, errno);
    ::close(fd);
    ::unlink(probe.c_str());
}

void check_trusted_file(const std::string& path, const std::string& what, const std::string& why)
{
    struct stat info { };
    if (::lstat(path.c_str(), &info) != 0)
        throw FileError("cannot read the " + what + " " + path + ": " + std::strerror(errno));
    if (S_ISLNK(info.st_mode)) {
        char target[4096] = {};
        const ssize_t length = ::readlink(path.c_str(), target, sizeof target - 1);
        throw FileError(path + " is a symbolic link" + (length > 0 ? " to " + std::string(target, size_t(length)) : "")
            + ": give the " + what + " itself");
    }
    if (info.st_uid != ::geteuid())
        throw FileError(path + " belongs to user id " + std::to_string(info.st_uid) + ", not to you (user id "
            + std::to_string(::geteuid()) + "); " + why + ", so only your own is used");
    if ((info.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", unsigned(info.st_mode & 07777));
        throw FileError(path + " can be written by other users (mode " + mode + "); " + why
            + ": if you trust what it says, `chmod go-w` it first");
    }
}

} // namespace compilescope
