#include "compilescope/failpoints.h"
#include "compilescope/file_io.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <dirent.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace compilescope;

namespace {

/// A fresh directory under the system temp folder, removed with its files at the end of the test.
class TempDir {
public:
    TempDir()
    {
        char name[] = "/tmp/compilescope-test-XXXXXX";
        REQUIRE(::mkdtemp(name) != nullptr);
        m_path = name;
    }
    ~TempDir()
    {
        ::chmod(m_path.c_str(), 0700);
        for (const std::string& entry : entries())
            ::unlink((m_path + "/" + entry).c_str());
        ::rmdir(m_path.c_str());
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::string& path() const { return m_path; }

    std::vector<std::string> entries() const
    {
        std::vector<std::string> names;
        if (DIR* dir = ::opendir(m_path.c_str())) {
            while (const dirent* entry = ::readdir(dir)) {
                const std::string name = entry->d_name;
                if (name != "." && name != "..")
                    names.push_back(name);
            }
            ::closedir(dir);
        }
        return names;
    }

private:
    std::string m_path;
};

std::string error_of(void (*action)(const std::string&), const std::string& path)
{
    try {
        action(path);
    } catch (const FileError& error) {
        return error.what();
    }
    return "(no error)";
}

} // namespace

TEST_CASE("write_file_atomically creates and replaces whole files", "[file_io]")
{
    TempDir dir;
    const std::string path = dir.path() + "/report.md";
    write_file_atomically(path, "first\n");
    CHECK(read_file(path) == "first\n");
    write_file_atomically(path, std::string(200000, 'x'));
    CHECK(read_file(path) == std::string(200000, 'x'));
    write_file_atomically(path, "");
    CHECK(read_file(path).empty());
    CHECK(dir.entries() == std::vector<std::string> { "report.md" }); // no temporary left behind
}

TEST_CASE("a failed write leaves the existing file untouched and no temporary", "[file_io]")
{
    TempDir dir;
    const std::string path = dir.path() + "/run.json";
    write_file_atomically(path, "old content");

    // Fail in the middle of writing: a file size limit makes write() return EFBIG (root is subject to it too).
    struct rlimit saved { };
    REQUIRE(::getrlimit(RLIMIT_FSIZE, &saved) == 0);
    const auto previous_handler = std::signal(SIGXFSZ, SIG_IGN);
    struct rlimit limited = saved;
    limited.rlim_cur = 1024;
    REQUIRE(::setrlimit(RLIMIT_FSIZE, &limited) == 0);
    std::string message;
    try {
        write_file_atomically(path, std::string(100000, 'n'));
    } catch (const FileError& error) {
        message = error.what();
    }
    ::setrlimit(RLIMIT_FSIZE, &saved);
    std::signal(SIGXFSZ, previous_handler);

    CHECK_THAT(message, Catch::Contains(path) && Catch::Contains("too large"));
    CHECK(read_file(path) == "old content");
    CHECK(dir.entries() == std::vector<std::string> { "run.json" });
}

TEST_CASE("a read-only directory keeps the existing file", "[file_io]")
{
    if (::geteuid() == 0)
        return; // root writes into read-only directories; the size-limit test above covers the failure path
    TempDir dir;
    const std::string path = dir.path() + "/run.csv";
    write_file_atomically(path, "old");
    REQUIRE(::chmod(dir.path().c_str(), 0500) == 0);
    CHECK_THROWS_WITH(write_file_atomically(path, "new"), Catch::Contains(path) && Catch::Contains("denied"));
    CHECK_THROWS_AS(check_writable(path), FileError);
    CHECK(read_file(path) == "old");
}

TEST_CASE("writing into a missing directory names the path and the reason", "[file_io]")
{
    TempDir dir;
    const std::string path = dir.path() + "/missing/report.md";
    const std::string message = error_of([](const std::string& p) { write_file_atomically(p, "x"); }, path);
    CHECK(message == "cannot write " + path + ": No such file or directory");
    CHECK(error_of(check_writable, path) == "cannot write " + path + ": No such file or directory");
}

TEST_CASE("a directory is not a writable file", "[file_io]")
{
    TempDir dir;
    CHECK(error_of(check_writable, dir.path()) == "cannot write " + dir.path() + ": it is a directory");
    CHECK_THROWS_AS(write_file_atomically(dir.path(), "x"), FileError);
    CHECK_THROWS_AS(check_writable(""), FileError);
}

TEST_CASE("check_writable writes nothing and leaves an existing target alone", "[file_io]")
{
    TempDir dir;
    const std::string fresh = dir.path() + "/new.md";
    check_writable(fresh);
    CHECK(dir.entries().empty());

    const std::string existing = dir.path() + "/old.md";
    write_file_atomically(existing, "keep me");
    struct stat before { };
    REQUIRE(::stat(existing.c_str(), &before) == 0);
    check_writable(existing);
    struct stat after { };
    REQUIRE(::stat(existing.c_str(), &after) == 0);
    CHECK(read_file(existing) == "keep me");
    CHECK(after.st_ino == before.st_ino);
    CHECK(after.st_mtim.tv_nsec == before.st_mtim.tv_nsec);
    CHECK(dir.entries() == std::vector<std::string> { "old.md" });
}

TEST_CASE("read_file names a missing file", "[file_io]")
{
    CHECK(error_of([](const std::string& p) { read_file(p); }, "/nonexistent/compilescope.json")
        == "cannot read /nonexistent/compilescope.json: No such file or directory");
}

TEST_CASE("relative paths write into the working directory", "[file_io]")
{
    TempDir dir;
    char previous[4096];
    REQUIRE(::getcwd(previous, sizeof previous) != nullptr);
    REQUIRE(::chdir(dir.path().c_str()) == 0);
    write_file_atomically("plain.txt", "here");
    check_writable("plain.txt");
    const std::string content = read_file("plain.txt");
    REQUIRE(::chdir(previous) == 0);
    CHECK(content == "here");
    CHECK(dir.entries() == std::vector<std::string> { "plain.txt" });
}

// ---- Issue 13, items 2 and 8: special files, sizes, links, modes, and a write that fails half-way ---------------

namespace {

std::string read_error(const std::string& path, std::int64_t max_bytes = max_read_bytes)
{
    try {
        read_file(path, max_bytes);
    } catch (const FileError& error) {
        return error.what();
    }
    return "(no error)";
}

std::string write_error(const std::string& path, const std::string& content = "new")
{
    try {
        write_file_atomically(path, content);
    } catch (const FileError& error) {
        return error.what();
    }
    return "(no error)";
}

mode_t mode_of(const std::string& path)
{
    struct stat info { };
    REQUIRE(::lstat(path.c_str(), &info) == 0);
    return info.st_mode;
}

} // namespace

TEST_CASE("read_file refuses a FIFO without waiting for a writer", "[file_io]")
{
    TempDir dir;
    const std::string fifo = dir.path() + "/run.json";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    // Without O_NONBLOCK the open itself would block forever: the test would hang here.
    CHECK(read_error(fifo) == "cannot read " + fifo + ": it is not a regular file (a FIFO)");
}

TEST_CASE("read_file refuses devices and directories", "[file_io]")
{
    CHECK(read_error("/dev/zero") == "cannot read /dev/zero: it is not a regular file (a character device)");
    TempDir dir;
    CHECK(read_error(dir.path()) == "cannot read " + dir.path() + ": it is a directory");
}

TEST_CASE("read_file refuses a file above the limit before reading it", "[file_io]")
{
    TempDir dir;
    const std::string path = dir.path() + "/huge.json";
    // A sparse file: 1 byte above the default limit, without the disk space.
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT, 0600);
    REQUIRE(fd >= 0);
    REQUIRE(::ftruncate(fd, max_read_bytes + 1) == 0);
    ::close(fd);
    CHECK(read_error(path) == "cannot read " + path + ": the file is larger than the limit of 256.0 MiB (256.0 MiB)");

    write_file_atomically(path, std::string(2000, 'x'));
    CHECK(read_error(path, 1000)
        == "cannot read " + path + ": the file is larger than the limit of 1000 bytes (2000 bytes)");
    CHECK(read_file(path, 2000).size() == 2000);
}

TEST_CASE("a symbolic link is written through: the target replaced, the link kept", "[file_io]")
{
    TempDir dir;
    const std::string target = dir.path() + "/real.json";
    const std::string link = dir.path() + "/link.json";
    write_file_atomically(target, "old");
    REQUIRE(::symlink("real.json", link.c_str()) == 0); // relative, as `ln -s` usually makes them
    check_writable(link);
    write_file_atomically(link, "new");
    CHECK(S_ISLNK(mode_of(link)));
    CHECK(read_file(target) == "new");
    CHECK(read_file(link) == "new");

    // A dangling link creates its target, as `cp` does.
    const std::string dangling = dir.path() + "/dangling.json";
    REQUIRE(::symlink((dir.path() + "/created.json").c_str(), dangling.c_str()) == 0);
    write_file_atomically(dangling, "made");
    CHECK(S_ISLNK(mode_of(dangling)));
    CHECK(read_file(dir.path() + "/created.json") == "made");
    auto entries = dir.entries();
    std::sort(entries.begin(), entries.end());
    CHECK(entries == std::vector<std::string> { "created.json", "dangling.json", "link.json", "real.json" });
}

TEST_CASE("a FIFO or a device at the path is refused and left as it is", "[file_io]")
{
    TempDir dir;
    const std::string fifo = dir.path() + "/out.json";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    CHECK(write_error(fifo) == "cannot write " + fifo + ": it is not a regular file (a FIFO)");
    CHECK(error_of(check_writable, fifo) == "cannot write " + fifo + ": it is not a regular file (a FIFO)");
    CHECK(S_ISFIFO(mode_of(fifo)));
    CHECK(dir.entries() == std::vector<std::string> { "out.json" });

    // As root, a rename over /dev/null would have replaced the system's node with a regular file.
    CHECK(write_error("/dev/null") == "cannot write /dev/null: it is not a regular file (a character device)");
    CHECK_THROWS_AS(check_writable("/dev/null"), FileError);
    CHECK(S_ISCHR(mode_of("/dev/null")));

    const std::string link = dir.path() + "/null.json";
    REQUIRE(::symlink("/dev/null", link.c_str()) == 0);
    CHECK(write_error(link)
        == "cannot write " + link + " (a link to /dev/null): it is not a regular file (a character device)");
    CHECK(S_ISCHR(mode_of("/dev/null")));
}

TEST_CASE("the replaced file keeps its mode", "[file_io]")
{
    TempDir dir;
    const std::string path = dir.path() + "/run.json";
    write_file_atomically(path, "old");
    REQUIRE(::chmod(path.c_str(), 0640) == 0);
    write_file_atomically(path, "new");
    CHECK((mode_of(path) & 07777) == 0640);
    REQUIRE(::chmod(path.c_str(), 0604) == 0);
    write_file_atomically(path, "newer");
    CHECK((mode_of(path) & 07777) == 0604);
    CHECK(read_file(path) == "newer");
}

TEST_CASE("a read-only file is refused, even for root", "[file_io]")
{
    TempDir dir;
    const std::string path = dir.path() + "/run.json";
    write_file_atomically(path, "keep");
    REQUIRE(::chmod(path.c_str(), 0444) == 0);
    CHECK(write_error(path) == "cannot write " + path + ": the file is read-only (mode 0444)");
    CHECK(error_of(check_writable, path) == "cannot write " + path + ": the file is read-only (mode 0444)");
    CHECK(read_file(path) == "keep");
    CHECK((mode_of(path) & 07777) == 0444);
    CHECK(dir.entries() == std::vector<std::string> { "run.json" });
}

TEST_CASE("failpoint file_write: a write failing half-way keeps the old file and leaves no temporary",
    "[file_io][failpoints]")
{
    TempDir dir;
    const std::string path = dir.path() + "/run.json";
    write_file_atomically(path, "old content");
    for (const auto& [action, reason] : { std::pair<std::string, std::string> { "enospc", "No space left on device" },
             { "eacces", "Permission denied" }, { "eio", "Input/output error" } }) {
        failpoints::configure("file_write=" + action);
        const std::string message = write_error(path, std::string(100000, 'n'));
        failpoints::configure("");
        CHECK(message == "cannot write " + path + ": " + reason);
        CHECK(read_file(path) == "old content");
        CHECK(dir.entries() == std::vector<std::string> { "run.json" });
    }
    // Only the Nth write fails: the first goes through.
    failpoints::configure("file_write=enospc@2");
    write_file_atomically(path, "first");
    CHECK_THROWS_AS(write_file_atomically(path, "second"), FileError);
    failpoints::configure("");
    CHECK(read_file(path) == "first");
    CHECK(dir.entries() == std::vector<std::string> { "run.json" });
}
