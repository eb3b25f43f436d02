// Files are written whole or not at all.
#pragma once

#include <stdexcept>
#include <string>

namespace compilescope {

class FileError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Writes `content` to a temporary file beside `path`, flushes it and renames it over `path`. Throws FileError.
void write_file_atomically(const std::string& path, const std::string& content);

/// Reads a whole file. Throws FileError.
std::string read_file(const std::string& path);

/// Throws FileError (naming the path and the reason) if a file could not be created at `path`; writes nothing.
void check_writable(const std::string& path);

} // namespace compilescope
