#include "compilescope/file_io.h"

#include <catch2/catch.hpp>

#include <csignal>
#include <cstdlib>
#include <dirent.h>
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
