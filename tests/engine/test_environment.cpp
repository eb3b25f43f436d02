#include "compilescope/allocator.h"
#include "compilescope/engine/environment.h"
#include "compilescope/text_utf8.h"

#include <catch2/catch.hpp>

#include <sched.h>
#include <string>
#include <thread>
#include <unistd.h>

using namespace compilescope;

TEST_CASE("collect_environment fills every field this machine has", "[engine][environment]")
{
    const Environment environment = collect_environment();
    CHECK_FALSE(environment.compilescope_version.empty());
    CHECK_FALSE(environment.git_revision.empty());
    CHECK_FALSE(environment.libtorch_version.empty());
    CHECK_FALSE(environment.cpu_model.empty());
    CHECK(environment.cpu_cores > 0);
    CHECK(environment.torch_threads > 0);
    CHECK_THAT(environment.blas, Catch::Contains("BLAS_INFO=") && Catch::Contains("loaded: "));
    CHECK_FALSE(environment.compiler.empty());
    CHECK_FALSE(environment.build_type.empty());
    CHECK_FALSE(environment.os.empty());
    CHECK_FALSE(environment.hostname.empty());
    CHECK_FALSE(environment.allocator.empty());
    if (environment.cuda_available) {
        CHECK_FALSE(environment.gpu_name.empty());
        CHECK_FALSE(environment.cuda_version.empty());
    } else {
        CHECK(environment.gpu_name.empty());
    }
}

TEST_CASE("the allocator policy is applied and described", "[engine][allocator]")
{
    const std::string keep = apply_allocator_policy(AllocatorPolicy::keep);
    CHECK_THAT(keep, Catch::StartsWith("keep (mallopt: M_MMAP_MAX=0"));
#if defined(__SANITIZE_ADDRESS__)
    // ASan brings its own malloc, whose mallopt accepts nothing: the description must say so, not claim the policy.
    CHECK_THAT(keep, Catch::Contains("(rejected)"));
#else
    CHECK_THAT(keep, !Catch::Contains("rejected"));
#endif
    CHECK(allocator_description() == keep);
    CHECK(collect_environment().allocator == keep);
    const std::string system = apply_allocator_policy(AllocatorPolicy::system);
    CHECK_THAT(system, Catch::StartsWith("system (mallopt back to glibc defaults"));
    CHECK(allocator_description() == system);
    apply_allocator_policy(AllocatorPolicy::keep);
}

TEST_CASE("a host name that is not UTF-8 reaches the environment as valid UTF-8", "[engine][environment][utf8]")
{
    // Issue 13's reproducer: a host name with a 0xFF byte. A UTS namespace is per thread, so a thread of its own
    // can rename its host without touching the machine or the rest of the test process. Needs CAP_SYS_ADMIN.
    bool renamed = false;
    Environment environment;
    std::thread([&] {
        const std::string name = "cs-\xFF-host\xC3";
        renamed = unshare(CLONE_NEWUTS) == 0 && sethostname(name.data(), name.size()) == 0;
        if (renamed) {
            environment = collect_environment();
        }
    }).join();
    if (!renamed) {
        WARN("not checked: this process may not create a UTS namespace (needs CAP_SYS_ADMIN)");
        return;
    }
    CHECK(environment.hostname == "cs-\xEF\xBF\xBD-host\xEF\xBF\xBD");
    for (const std::string* text : { &environment.cpu_model, &environment.os, &environment.blas, &environment.compiler,
             &environment.python, &environment.gpu_name, &environment.allocator }) {
        CHECK(is_valid_utf8(*text));
    }
    CHECK(collect_environment().hostname != environment.hostname); // the test thread's name stayed its own
}
