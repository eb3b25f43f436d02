// CheckedDirectory: the folders and files the AOTInductor cache trusts (security review N01-N03), each refusal
// naming the component at fault. Another user's folder is made by chown to an unused user id, which needs root (CI
// runs as root); elsewhere those checks say they were not run.
#include "checked_directory.h"
#include "compilescope/child_process.h"
#include "compilescope/config.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <thread>

#include <sys/stat.h>
#include <unistd.h>

using namespace compilescope;

namespace {

constexpr uid_t other_user = 65533;

struct TempDir {
    std::string path = make_private_temp_directory("compilescope-checked");
    ~TempDir() { remove_tree(path); }
};

void make_folder(const std::string& path, mode_t mode)
{
    REQUIRE(::mkdir(path.c_str(), 0700) == 0);
    REQUIRE(::chmod(path.c_str(), mode) == 0);
}

void make_file(const std::string& path, const std::string& text, mode_t mode = 0600)
{
    std::ofstream(path) << text;
    REQUIRE(::chmod(path.c_str(), mode) == 0);
}

mode_t mode_of(const std::string& path)
{
    struct stat status { };
    REQUIRE(::lstat(path.c_str(), &status) == 0);
    return status.st_mode & 07777;
}

/// Gives `path` to another user; false (and a warning) where this process may not.
bool give_away(const std::string& path)
{
    if (::geteuid() == 0 && ::lchown(path.c_str(), other_user, other_user) == 0)
        return true;
    WARN("not checked: a folder of another user's (needs root to make one)");
    return false;
}

std::string refusal(const std::function<void()>& action)
{
    try {
        action();
    } catch (const UntrustedPath& error) {
        return error.what();
    }
    FAIL("not refused");
    return {};
}

/// Sets (or with nullptr, unsets) an environment variable for one scope.
class ScopedEnvironment {
public:
    ScopedEnvironment(const char* name, const char* value)
        : m_name(name)
    {
        if (const char* old = std::getenv(name))
            m_old = old;
        value ? ::setenv(name, value, 1) : ::unsetenv(name);
    }
    ~ScopedEnvironment() { m_old ? ::setenv(m_name, m_old->c_str(), 1) : ::unsetenv(m_name); }

private:
    const char* m_name;
    std::optional<std::string> m_old;
};

} // namespace

TEST_CASE("a checked folder is created 0700 whatever the umask, and its files are read through it", "[checked]")
{
    TempDir temp;
    const mode_t old_umask = ::umask(0);
    const CheckedDirectory cache = CheckedDirectory::open(temp.path + "/a/b", /*create=*/true);
    const CheckedDirectory package = cache.subdirectory("c/d", /*create=*/true);
    ::umask(old_umask);
    for (const char* folder : { "/a", "/a/b", "/a/b/c", "/a/b/c/d" })
        CHECK(mode_of(temp.path + folder) == 0700);
    make_file(temp.path + "/a/b/c/d/meta.json", "{}");
    CHECK(package.read_file("meta.json", 100) == "{}");
    CHECK_THROWS_WITH(package.read_file("meta.json", 1), Catch::Contains("larger than the 1 bytes"));
    CHECK(package.path() == temp.path + "/a/b/c/d");
    // An empty path (no home, no cache) is an error, not the working folder.
    CHECK_THROWS_WITH(CheckedDirectory::open("", true), Catch::Contains("an empty path"));
}

TEST_CASE("a folder others can write is refused at any depth, naming it", "[checked]")
{
    TempDir temp;
    make_folder(temp.path + "/cache", 0700);
    make_folder(temp.path + "/cache/torch", 0777);
    make_folder(temp.path + "/cache/torch/package", 0700);
    const CheckedDirectory cache = CheckedDirectory::open(temp.path + "/cache", false);
    CHECK_THAT(refusal([&] { cache.subdirectory("torch/package", false); }),
        Catch::Contains(temp.path + "/cache/torch is writable by other users (mode 0777)"));
    CHECK_THAT(refusal([&] { CheckedDirectory::open(temp.path + "/cache/torch/package", false); }),
        Catch::Contains(temp.path + "/cache/torch is writable by other users"));
    ::chmod((temp.path + "/cache/torch").c_str(), 0775);
    CHECK_THAT(refusal([&] { cache.subdirectory("torch", false); }), Catch::Contains("mode 0775"));
}

TEST_CASE("a folder above the cache may be root's or sticky, but not another user's", "[checked]")
{
    TempDir temp;
    make_folder(temp.path + "/sticky", 01777);
    make_folder(temp.path + "/sticky/cache", 0700);
    CHECK_NOTHROW(CheckedDirectory::open(temp.path + "/sticky/cache", false));
    make_folder(temp.path + "/open", 0777);
    make_folder(temp.path + "/open/cache", 0700);
    CHECK_THAT(refusal([&] { CheckedDirectory::open(temp.path + "/open/cache", false); }),
        Catch::Contains(temp.path + "/open is writable by other users (mode 0777)"));
    make_folder(temp.path + "/theirs", 0755);
    make_folder(temp.path + "/theirs/cache", 0700);
    if (give_away(temp.path + "/theirs")) {
        CHECK_THAT(refusal([&] { CheckedDirectory::open(temp.path + "/theirs/cache", false); }),
            Catch::Contains(temp.path + "/theirs belongs to user id 65533, neither you nor root"));
        CHECK_THAT(refusal([&] { CheckedDirectory::open(temp.path + "/theirs", false); }),
            Catch::Contains("belongs to user id 65533, not to you"));
    }
}

TEST_CASE("symbolic links: resolved in the path given, refused below it and in any file", "[checked]")
{
    TempDir temp;
    make_folder(temp.path + "/real", 0700);
    make_folder(temp.path + "/real/torch", 0700);
    REQUIRE(::symlink((temp.path + "/real").c_str(), (temp.path + "/link").c_str()) == 0);
    const CheckedDirectory through_link = CheckedDirectory::open(temp.path + "/link", false);
    CHECK(through_link.path() == temp.path + "/real");

    // Into another user's folder: the link is followed, and the folder it leads to is what is checked.
    make_folder(temp.path + "/theirs", 0755);
    make_folder(temp.path + "/theirs/cache", 0700);
    REQUIRE(::symlink((temp.path + "/theirs/cache").c_str(), (temp.path + "/to-theirs").c_str()) == 0);
    if (give_away(temp.path + "/theirs")) {
        CHECK_THAT(refusal([&] { CheckedDirectory::open(temp.path + "/to-theirs", false); }),
            Catch::Contains(temp.path + "/theirs belongs to user id 65533"));
    }

    // Below a checked folder, a link is never followed: it could be swapped after any check.
    REQUIRE(::symlink((temp.path + "/real/torch").c_str(), (temp.path + "/real/swapped").c_str()) == 0);
    CHECK_THAT(refusal([&] { through_link.subdirectory("swapped", false); }),
        Catch::Contains(temp.path + "/real/swapped is a symbolic link"));
    make_file(temp.path + "/real/torch/forward.pt2", "zip");
    REQUIRE(::symlink((temp.path + "/real/torch/forward.pt2").c_str(), (temp.path + "/real/file-link").c_str()) == 0);
    CHECK_THAT(refusal([&] { through_link.open_file("file-link"); }), Catch::Contains("is a symbolic link"));
}

TEST_CASE(
    "a file must be a regular file of this user's that no one else may write, named within its folder", "[checked]")
{
    TempDir temp;
    const CheckedDirectory folder = CheckedDirectory::open(temp.path, false);
    make_file(temp.path + "/ok.pt2", "zip");
    CHECK(folder.open_file("ok.pt2").get() >= 0);
    make_file(temp.path + "/shared.pt2", "zip", 0666);
    CHECK_THAT(
        refusal([&] { folder.open_file("shared.pt2"); }), Catch::Contains("writable by other users (mode 0666)"));
    make_file(temp.path + "/theirs.pt2", "zip");
    if (give_away(temp.path + "/theirs.pt2"))
        CHECK_THAT(refusal([&] { folder.open_file("theirs.pt2"); }), Catch::Contains("belongs to user id 65533"));
    for (const char* name : { "../ok.pt2", "a/ok.pt2", "..", ".", "" })
        CHECK_THAT(refusal([&] { folder.open_file(name); }), Catch::Contains("is not a file directly in"));
    CHECK_THAT(refusal([&] { folder.subdirectory("a/../..", false); }), Catch::Contains("leaves"));
}

TEST_CASE("a FIFO is refused at once, not waited on", "[checked]")
{
    TempDir temp;
    REQUIRE(::mkfifo((temp.path + "/meta.json").c_str(), 0600) == 0);
    const CheckedDirectory folder = CheckedDirectory::open(temp.path, false);
    // Opening a FIFO with no writer for reading would block forever without O_NONBLOCK; a hang fails the test's
    // timeout rather than this check.
    CHECK_THAT(refusal([&] { folder.read_file("meta.json", 100); }), Catch::Contains("is not a regular file"));
}

TEST_CASE("the cache follows XDG: relative values are ignored and nothing falls back to a shared folder", "[checked]")
{
    {
        ScopedEnvironment xdg("XDG_CACHE_HOME", "/somewhere/cache");
        CHECK(default_aoti_cache_directory() == "/somewhere/cache/compilescope/aoti");
    }
    ScopedEnvironment xdg("XDG_CACHE_HOME", "relative/cache");
    {
        ScopedEnvironment home("HOME", "/home/user");
        CHECK(cache_directory() == "/home/user/.cache/compilescope");
    }
    for (const char* home_value : { "relative-home", static_cast<const char*>(nullptr) }) {
        ScopedEnvironment home("HOME", home_value);
        const std::string cache = cache_directory();
        INFO(cache);
        // From the password database: an absolute home of this user's, never /tmp or the working folder.
        CHECK((cache.empty() || cache.front() == '/'));
        CHECK(cache.rfind("/tmp", 0) != 0);
    }
}
