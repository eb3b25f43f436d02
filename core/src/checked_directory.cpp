#include "checked_directory.h"

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>
#include <vector>

namespace compilescope {

namespace {

std::vector<std::string> split_path(const std::string& path)
{
    std::vector<std::string> parts;
    size_t begin = 0;
    while (begin <= path.size()) {
        const size_t end = std::min(path.find('/', begin), path.size());
        if (end > begin)
            parts.push_back(path.substr(begin, end - begin));
        begin = end + 1;
    }
    return parts;
}

std::string join(const std::string& directory, const std::string& name)
{
    return directory == "/" ? "/" + name : directory + "/" + name;
}

std::string octal_mode(mode_t mode)
{
    char text[8];
    std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
    return text;
}

/// A folder on the way to a checked one: a change to it could swap what lies below, so only this user or root may
/// own it, and no one else may write it unless it is sticky (then others cannot rename or remove what is ours).
void check_ancestor(const struct stat& status, const std::string& path)
{
    if (status.st_uid != ::geteuid() && status.st_uid != 0) {
        throw UntrustedPath(path + " belongs to user id " + std::to_string(status.st_uid) + ", neither you nor root");
    }
    if ((status.st_mode & (S_IWGRP | S_IWOTH)) != 0 && (status.st_mode & S_ISVTX) == 0) {
        throw UntrustedPath(path + " is writable by other users (mode " + octal_mode(status.st_mode) + ")");
    }
}

/// A checked folder itself, or a file in it: this user's, and no one else may write it.
void check_private(const struct stat& status, const std::string& path)
{
    if (status.st_uid != ::geteuid()) {
        throw UntrustedPath(path + " belongs to user id " + std::to_string(status.st_uid) + ", not to you (user id "
            + std::to_string(::geteuid()) + ")");
    }
    if ((status.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
        throw UntrustedPath(path + " is writable by other users (mode " + octal_mode(status.st_mode) + ")");
    }
}

/// Why `name` in `parent` did not open without following links: a link is refused as untrusted (O_NOFOLLOW gives
/// ELOOP, or ENOTDIR with O_DIRECTORY), anything else is an error.
[[noreturn]] void refuse_unopened(int parent, const std::string& name, const std::string& path)
{
    const int error = errno;
    struct stat status { };
    if (::fstatat(parent, name.c_str(), &status, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(status.st_mode)) {
        throw UntrustedPath(path + " is a symbolic link (only folders and files reached without one are trusted)");
    }
    throw std::runtime_error("cannot open " + path + ": " + std::strerror(error));
}

FileDescriptor open_folder(int parent, const std::string& name, const std::string& path, bool create)
{
    const int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
    int fd = ::openat(parent, name.c_str(), flags);
    if (fd < 0 && errno == ENOENT && create) {
        if (::mkdirat(parent, name.c_str(), 0700) != 0 && errno != EEXIST) {
            throw std::runtime_error("cannot create " + path + ": " + std::strerror(errno));
        }
        fd = ::openat(parent, name.c_str(), flags);
    }
    if (fd < 0) {
        refuse_unopened(parent, name, path);
    }
    return FileDescriptor(fd);
}

struct stat status_of(const FileDescriptor& fd, const std::string& path)
{
    struct stat status { };
    if (::fstat(fd.get(), &status) != 0) {
        throw std::runtime_error("cannot inspect " + path + ": " + std::strerror(errno));
    }
    return status;
}

/// `path` with the symbolic links of its longest existing part resolved, the rest appended as given.
std::string resolve_existing(const std::string& path)
{
    std::vector<std::string> parts = split_path(path);
    for (size_t kept = parts.size() + 1; kept-- > 0;) {
        std::string prefix = "/";
        for (size_t i = 0; i < kept; ++i)
            prefix = join(prefix, parts[i]);
        char resolved[PATH_MAX];
        if (::realpath(prefix.c_str(), resolved) == nullptr)
            continue;
        std::string result = resolved;
        for (size_t i = kept; i < parts.size(); ++i) {
            if (parts[i] == "..")
                throw UntrustedPath(path + " has \"..\" below " + prefix + ", which does not exist yet");
            if (parts[i] != ".")
                result = join(result, parts[i]);
        }
        return result;
    }
    throw std::runtime_error("cannot resolve " + path);
}

} // namespace

FileDescriptor::~FileDescriptor()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

FileDescriptor::FileDescriptor(FileDescriptor&& other) noexcept
    : m_fd(std::exchange(other.m_fd, -1))
{
}

FileDescriptor& FileDescriptor::operator=(FileDescriptor&& other) noexcept
{
    if (this != &other) {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = std::exchange(other.m_fd, -1);
    }
    return *this;
}

std::string FileDescriptor::proc_path() const
{
    return "/proc/self/fd/" + std::to_string(m_fd);
}

bool is_single_component(const std::string& name)
{
    return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos;
}

CheckedDirectory CheckedDirectory::open(const std::string& path, bool create)
{
    if (path.empty())
        throw std::runtime_error("no folder given (an empty path)");
    std::string absolute = path;
    if (absolute.empty() || absolute[0] != '/') {
        char working[PATH_MAX];
        if (::getcwd(working, sizeof working) == nullptr)
            throw std::runtime_error("cannot resolve " + path + ": " + std::strerror(errno));
        absolute = join(working, path);
    }
    const std::string resolved = resolve_existing(absolute);
    const std::vector<std::string> parts = split_path(resolved);

    std::string current = "/";
    FileDescriptor fd(::open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0)
        throw std::runtime_error(std::string("cannot open /: ") + std::strerror(errno));
    struct stat status = status_of(fd, current);
    for (const std::string& part : parts) {
        check_ancestor(status, current);
        current = join(current, part);
        fd = open_folder(fd.get(), part, current, create);
        status = status_of(fd, current);
    }
    check_private(status, current);
    return CheckedDirectory(std::move(fd), resolved);
}

CheckedDirectory CheckedDirectory::subdirectory(const std::string& relative, bool create) const
{
    const std::vector<std::string> parts = split_path(relative);
    for (const std::string& part : parts) {
        if (!is_single_component(part))
            throw UntrustedPath(relative + " leaves " + m_path);
    }
    std::string current = m_path;
    FileDescriptor fd;
    for (const std::string& part : parts) {
        current = join(current, part);
        fd = open_folder(fd.get() < 0 ? m_fd.get() : fd.get(), part, current, create);
        check_private(status_of(fd, current), current);
    }
    if (fd.get() < 0)
        throw UntrustedPath("\"" + relative + "\" names no folder below " + m_path);
    return CheckedDirectory(std::move(fd), current);
}

FileDescriptor CheckedDirectory::open_file(const std::string& name) const
{
    const std::string path = join(m_path, name);
    if (!is_single_component(name))
        throw UntrustedPath(path + " is not a file directly in " + m_path);
    FileDescriptor fd(::openat(m_fd.get(), name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
    if (fd.get() < 0)
        refuse_unopened(m_fd.get(), name, path);
    const struct stat status = status_of(fd, path);
    if (!S_ISREG(status.st_mode))
        throw UntrustedPath(path + " is not a regular file");
    check_private(status, path);
    return fd;
}

std::string CheckedDirectory::read_file(const std::string& name, std::int64_t max_bytes) const
{
    const FileDescriptor fd = open_file(name);
    std::string content;
    char buffer[65536];
    for (;;) {
        const ssize_t count = ::read(fd.get(), buffer, sizeof buffer);
        if (count < 0 && errno == EINTR)
            continue;
        if (count < 0)
            throw std::runtime_error("cannot read " + join(m_path, name) + ": " + std::strerror(errno));
        if (count == 0)
            return content;
        if (static_cast<std::int64_t>(content.size()) + count > max_bytes)
            throw std::runtime_error(
                join(m_path, name) + " is larger than the " + std::to_string(max_bytes) + " bytes expected");
        content.append(buffer, static_cast<size_t>(count));
    }
}

} // namespace compilescope
