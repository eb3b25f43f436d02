#include "compilescope/allocator.h"
#include "compilescope/environment.h"

#include <catch2/catch.hpp>

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
    CHECK_THAT(keep, !Catch::Contains("rejected"));
    CHECK(allocator_description() == keep);
    CHECK(collect_environment().allocator == keep);
    const std::string system = apply_allocator_policy(AllocatorPolicy::system);
    CHECK_THAT(system, Catch::StartsWith("system (mallopt back to glibc defaults"));
    CHECK(allocator_description() == system);
    apply_allocator_policy(AllocatorPolicy::keep);
}
