#include "engine/correctness.h"

#include <catch2/catch.hpp>

#include <cmath>

using namespace compilescope;
using namespace compilescope::engine;

namespace {

std::vector<NamedTensor> named(const torch::Tensor& tensor)
{
    return { { "grad w", tensor } };
}

} // namespace

TEST_CASE("correctness: relative error against the largest eager value, tolerance by dtype", "[engine][correctness]")
{
    const torch::Tensor eager = torch::tensor({ 2.0, -4.0, 1.0 }, torch::kDouble);
    CHECK(correctness_tolerance(Dtype::fp32) == 1e-4);
    CHECK(correctness_tolerance(Dtype::bf16) == 3e-2);

    const CorrectnessCheck close = compare_results(named(eager), named(eager + 2e-4), Dtype::fp32);
    CHECK(close.passed);
    CHECK(close.max_abs_error == Approx(2e-4));
    CHECK(close.max_rel_error == Approx(5e-5));

    const CorrectnessCheck off
        = compare_results(named(eager), named(eager + torch::tensor({ 0.0, 0.0, 1e-3 }, torch::kDouble)), Dtype::fp32);
    CHECK_FALSE(off.passed);
    CHECK(off.max_rel_error == Approx(2.5e-4));
    CHECK_THAT(off.detail, Catch::StartsWith("mismatch in grad w") && Catch::Contains("tolerance 0.0001"));

    const CorrectnessCheck nan
        = compare_results(named(eager), named(torch::tensor({ 2.0, std::nan(""), 1.0 }, torch::kDouble)), Dtype::fp32);
    CHECK_FALSE(nan.passed);
    CHECK_THAT(nan.detail, Catch::Contains("non-finite"));
}

TEST_CASE("correctness: bf16 beyond tolerance passes only within twice eager's own error against fp32",
    "[engine][correctness]")
{
    const torch::Tensor truth = torch::tensor({ 1.0, -1.0, 0.5 }, torch::kDouble);
    const torch::Tensor eager = truth + torch::tensor({ 0.10, 0.0, 0.0 }, torch::kDouble);
    const torch::Tensor honest = truth + torch::tensor({ 0.0, 0.15, 0.0 }, torch::kDouble);
    const torch::Tensor wrong = truth + torch::tensor({ 0.0, 0.0, 0.6 }, torch::kDouble);
    const std::vector<NamedTensor> fp32 = named(truth);

    CHECK_FALSE(compare_results(named(eager), named(honest), Dtype::bf16).passed);
    const CorrectnessCheck relaxed = compare_results(named(eager), named(honest), Dtype::bf16, &fp32);
    CHECK(relaxed.passed);
    CHECK_THAT(relaxed.detail, Catch::Contains("against an fp32 run 0.15 <= 0.203 (eager's own 0.1)"));
    CHECK_FALSE(compare_results(named(eager), named(wrong), Dtype::bf16, &fp32).passed);
}

TEST_CASE("correctness: finite values where eager has NaN fail, unless the caller says why eager is wrong there",
    "[engine][correctness]")
{
    const double nan = std::nan("");
    const torch::Tensor eager = torch::tensor({ 1.0, nan, 3.0 }, torch::kDouble);
    const torch::Tensor variant = torch::tensor({ 1.0, 0.5, 3.0 }, torch::kDouble);
    CHECK_FALSE(compare_results(named(eager), named(variant), Dtype::fp16).passed);

    const CorrectnessCheck excused
        = compare_results(named(eager), named(variant), Dtype::fp16, nullptr, "eager's eps is 0 in fp16");
    CHECK(excused.passed);
    CHECK_THAT(
        excused.detail, Catch::EndsWith("grad w: 1 values finite where eager's are not (eager's eps is 0 in fp16)"));

    // The excuse covers only that direction: NaN where eager is finite still fails.
    CHECK_FALSE(compare_results(named(variant), named(eager), Dtype::fp16, nullptr, "eager's eps is 0 in fp16").passed);
}
