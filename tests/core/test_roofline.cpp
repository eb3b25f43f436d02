#include "compilescope/results.h"
#include "compilescope/roofline.h"

#include <catch2/catch.hpp>

using namespace compilescope;

TEST_CASE("a matmul's FLOPs and least traffic", "[roofline]")
{
    // (64 x 16) by (16 x 32) in fp32: 2 m n k FLOPs; A, B read and C written once.
    const Work work = matmul_work(64, 32, 16, 4);
    CHECK(work.flops == 2.0 * 64 * 32 * 16);
    CHECK(work.bytes == (64.0 * 16 + 16.0 * 32 + 64.0 * 32) * 4);
    CHECK(arithmetic_intensity(work) == Approx(65536.0 / 14336.0));
    // A square product's intensity grows with its size: n/3 FLOPs per element moved, over element_bytes.
    CHECK(arithmetic_intensity(matmul_work(1024, 1024, 1024, 2)) == Approx(1024.0 / 3.0));
}

TEST_CASE("an elementwise op's FLOPs and least traffic", "[roofline]")
{
    // c = a + b over a million bf16 elements: one FLOP per element, two reads and one write of 2 bytes.
    const Work add = elementwise_work(1e6, 2, 1, 2);
    CHECK(add.flops == 1e6);
    CHECK(add.bytes == 6e6);
    CHECK(arithmetic_intensity(add) == Approx(1.0 / 6.0));
    const Work both = add + 2.0 * matmul_work(8, 8, 8, 4);
    CHECK(both.flops == 1e6 + 2 * 1024.0);
    CHECK(arithmetic_intensity(Work {}) == 0);
}

TEST_CASE("known GPUs have datasheet peaks per dtype, others none", "[roofline]")
{
    const auto h200 = known_gpu_peaks("NVIDIA H200", Dtype::bf16);
    REQUIRE(h200);
    CHECK(h200->flops_per_s == Approx(989.4e12));
    CHECK(h200->bytes_per_s == Approx(4.8e12));
    CHECK(h200->ridge_intensity() == Approx(989.4 / 4.8));
    CHECK(known_gpu_peaks("NVIDIA H200", Dtype::fp32)->flops_per_s == Approx(67e12));
    CHECK(known_gpu_peaks("NVIDIA H200", Dtype::tf32)->flops_per_s == Approx(494.7e12));
    CHECK(known_gpu_peaks("NVIDIA H100 80GB HBM3", Dtype::fp16)->bytes_per_s == Approx(3.35e12));
    CHECK(known_gpu_peaks("NVIDIA H100 PCIe", Dtype::fp16)->bytes_per_s == Approx(2.0e12));
    CHECK_FALSE(known_gpu_peaks("Some Future GPU", Dtype::fp32));
}

TEST_CASE("a measurement's place on the roofline and its bound", "[roofline]")
{
    RunResult run;
    run.environment.peaks = { 1e12, 1e11, "test" }; // ridge at 10 FLOP/B
    Measurement measurement;
    measurement.flops = 1e9;
    measurement.bytes = 2e8; // 5 FLOP/B: below the ridge
    measurement.stats.median_ms = 10; // 1e11 FLOP/s achieved
    auto point = roofline_point(run, measurement);
    REQUIRE(point);
    CHECK(point->intensity == Approx(5));
    CHECK(point->achieved_flops_per_s == Approx(1e11));
    CHECK(point->roof_flops_per_s == Approx(5e11));
    CHECK(point->fraction_of_roof == Approx(0.2));
    CHECK(point->bound == Bound::memory);

    measurement.bytes = 1e7; // 100 FLOP/B: above the ridge, under the flat roof
    point = roofline_point(run, measurement);
    CHECK(point->bound == Bound::compute);
    CHECK(point->roof_flops_per_s == Approx(1e12));

    SECTION("on the CPU, far below the roof the bound is not known, not compute-bound")
    {
        measurement.stats.median_ms = 200; // 5e9 FLOP/s: 0.5% of the roof
        CHECK(roofline_point(run, measurement)->bound == Bound::unknown);
        CHECK(to_string(Bound::unknown) == "not known");
        run.config.device = Device::cuda; // the profiled pass tells launch-bound there
        CHECK(roofline_point(run, measurement)->bound == Bound::compute);
    }

    SECTION("an idle GPU makes it launch-bound, on CUDA only")
    {
        measurement.profile = ProfileSummary {};
        measurement.profile->busy_share = 0.3;
        CHECK(roofline_point(run, measurement)->bound == Bound::compute);
        run.config.device = Device::cuda;
        CHECK(roofline_point(run, measurement)->bound == Bound::launch);
        measurement.profile->busy_share = 0.9;
        CHECK(roofline_point(run, measurement)->bound == Bound::compute);
    }
    SECTION("nothing to place without peaks, estimates or a good measurement")
    {
        RunResult no_peaks;
        CHECK_FALSE(roofline_point(no_peaks, measurement));
        Measurement no_bytes = measurement;
        no_bytes.bytes = 0;
        CHECK_FALSE(roofline_point(run, no_bytes));
        Measurement failed = measurement;
        failed.status = MeasurementStatus::failed;
        CHECK_FALSE(roofline_point(run, failed));
    }
}
