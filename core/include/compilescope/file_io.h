// Files are written whole or not at all, and read only when they are regular files of a sane size.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace compilescope {

class FileError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The largest file read_file() reads by default: 256 MiB. The largest real run file (550 measurements of 1,000
/// samples each, docs/results/h200/aoti-race-seed.json) is about 3 MiB, so this is far above any run, trace or
/// journal the program writes, yet it refuses /dev/zero-like input before the parsed document (several times the
/// text's size in memory) can exhaust a laptop's memory.
inline constexpr std::int64_t max_read_bytes = std::int64_t(256) << 20;

/// Writes `content` to a temporary file beside `path`, flushes it and renames it over `path`. Throws FileError.
/// A symbolic link is followed: its target is replaced (atomically, beside the target) and the link kept. An
/// existing target keeps its mode (and, where allowed, its owner). Refused, with the target untouched: a
/// directory, anything that is not a regular file (FIFO, device, socket), and a read-only file (no write bit for
/// anyone, which also stops root, or one this user may not write).
/// Failpoint "file_write" (failpoints.h) fails the write half-way through the data.
void write_file_atomically(const std::string& path, const std::string& content);

/// Reads a whole regular file of at most `max_bytes`. Throws FileError naming the path: for a directory, a FIFO,
/// a device or a socket (never blocks on a FIFO without a writer), or a larger file (naming the limit).
std::string read_file(const std::string& path, std::int64_t max_bytes = max_read_bytes);

/// Refuses a file whose contents decide what runs (a journal a resume continues, a run a re-run measures again: they
/// name the Python to start and the files to write): throws FileError unless it is this user's own regular file, not
/// a symbolic link, and no other user can write it (docs/security.md). `what` names it in the message ("journal"),
/// `why` says why that matters.
void check_trusted_file(const std::string& path, const std::string& what, const std::string& why);

/// Throws FileError (naming the path and the reason) if write_file_atomically(path, ...) would be refused or could
/// not create its temporary file; writes nothing.
void check_writable(const std::string& path);

} // namespace compilescope
