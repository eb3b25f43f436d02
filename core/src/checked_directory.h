// Folders whose files are code, or say which code runs (the AOTInductor package cache): opened one component at a
// time from "/", each checked once it is open, and their files opened relative to a checked folder. Nothing can
// then be swapped between the check and the use: a symbolic link or a folder another user may write is refused
// wherever it appears, not only at the top. POSIX only, no LibTorch.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace compilescope {

/// Why a path is not trusted: names the component and what is wrong with it.
class UntrustedPath : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// An open file descriptor, closed with its owner.
class FileDescriptor {
public:
    FileDescriptor() = default;
    explicit FileDescriptor(int fd)
        : m_fd(fd)
    {
    }
    ~FileDescriptor();
    FileDescriptor(FileDescriptor&& other) noexcept;
    FileDescriptor& operator=(FileDescriptor&& other) noexcept;
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;

    int get() const { return m_fd; }
    /// "/proc/self/fd/N": a name for exactly this open file, for libraries that take only a path.
    std::string proc_path() const;

private:
    int m_fd = -1;
};

/// A folder private to this user, reached through folders no other user can change.
class CheckedDirectory {
public:
    /// Opens `path` (made absolute against the working folder; symbolic links in what exists are resolved first,
    /// then every component of the result is opened without following links). Above `path`, every folder must
    /// belong to this user or root and be writable by no one else unless it is sticky (as /tmp is); `path` itself
    /// must be this user's and writable by no one else. With `create`, missing folders are made, mode 0700.
    /// Throws UntrustedPath naming the component at fault, or std::runtime_error when a folder cannot be opened.
    static CheckedDirectory open(const std::string& path, bool create);

    /// The folder `relative` ("a/b", no "." or ".." and no empty part) below this one; each component must be this
    /// user's and writable by no one else. With `create`, missing folders are made, mode 0700.
    CheckedDirectory subdirectory(const std::string& relative, bool create) const;

    /// Opens `name` (one component) for reading: a regular file of this user's that no one else may write,
    /// without following a link and without blocking (a FIFO is refused, not waited on).
    FileDescriptor open_file(const std::string& name) const;

    /// The whole of file `name` (as open_file), at most `max_bytes`.
    std::string read_file(const std::string& name, std::int64_t max_bytes) const;

    /// The path it was opened as (for messages).
    const std::string& path() const { return m_path; }

private:
    CheckedDirectory(FileDescriptor fd, std::string path)
        : m_fd(std::move(fd))
        , m_path(std::move(path))
    {
    }

    FileDescriptor m_fd;
    std::string m_path;
};

/// True when `name` is one path component: not empty, no '/', not "." or "..".
bool is_single_component(const std::string& name);

} // namespace compilescope
