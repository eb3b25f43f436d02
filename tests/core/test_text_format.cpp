#include "compilescope/text_format.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

using namespace compilescope;

TEST_CASE("milliseconds keep three significant digits and no exponent", "[text_format]")
{
    CHECK(ms_text(0.052345) == "0.0523");
    CHECK(ms_text(3.2849) == "3.28");
    CHECK(ms_text(227.56) == "228");
    CHECK(ms_text(1234.4) == "1234");
    CHECK(ms_text(0) == "0.00");

    Stats stats;
    stats.mean_ms = 0.052345;
    stats.std_ms = 0.00123;
    CHECK(mean_std_text(stats) == "0.0523±0.0012");
    stats.mean_ms = 227.56;
    stats.std_ms = 7.44;
    CHECK(mean_std(stats) == "227.56±7.4"); // the seed report's cell
}

TEST_CASE("a speedup reads 1.02x everywhere, a dash when it is not a number", "[text_format]")
{
    CHECK(speedup_text(1.0234) == "1.02x");
    CHECK(speedup_text(std::numeric_limits<double>::quiet_NaN()) == no_value);
    CHECK(interval_text(0.981, 1.049) == "[0.98x, 1.05x]");
    CHECK(interval_text(std::nan(""), 1.0) == no_value);
}

TEST_CASE("bytes in binary units, durations in words", "[text_format]")
{
    CHECK(bytes_text(512) == "512 B");
    CHECK(bytes_text(1000) == "1000 B");
    CHECK(bytes_text(3 * 1024 * 1024 + 400 * 1024) == "3.4 MiB");
    CHECK(bytes_text(int64_t(1.2 * 1024 * 1024 * 1024)) == "1.20 GiB");
    CHECK(mebibytes(3 * 1024 * 1024 + 400 * 1024) == "3.4");

    CHECK(duration_text(42.4) == "42 s");
    CHECK(duration_text(185) == "3 min 05 s");
    CHECK(duration_text(3720) == "1 h 02 min");
    CHECK(duration_text(-5) == "0 s");
}

TEST_CASE("an estimated time reads only as precise as an estimate is", "[text_format][estimate]")
{
    CHECK(approximate_duration_text(-3) == "0 s");
    CHECK(approximate_duration_text(6.4) == "6 s");
    CHECK(approximate_duration_text(43) == "45 s");
    CHECK(approximate_duration_text(58) == "1 min");
    CHECK(approximate_duration_text(9 * 60 + 40) == "10 min");
    CHECK(approximate_duration_text(3569) == "59 min");
    CHECK(approximate_duration_text(3600) == "1 h");
    CHECK(approximate_duration_text(35 * 3600 + 13 * 60) == "35 h 10 min");
}

TEST_CASE("rates take a decimal prefix, with or without trailing zeros", "[text_format]")
{
    CHECK(rate(2.5e12, "FLOP/s") == "2.50 TFLOP/s");
    CHECK(rate(2.5e12, "FLOP/s", TrailingZeros::dropped) == "2.5 TFLOP/s");
    CHECK(rate(1e12, "FLOP/s", TrailingZeros::dropped) == "1 TFLOP/s");
    CHECK(rate(125e9, "FLOP/s", TrailingZeros::dropped) == "125 GFLOP/s");
    CHECK(rate(4.8e12, "B/s") == "4.80 TB/s");
    CHECK(rate(999.6, "B/s") == "1.00 kB/s");
}

TEST_CASE("one label for a cell and a measurement, the batch shown where a line stands alone", "[text_format]")
{
    const CellKey cell { Workload::attention, 8, 64, 1024 };
    CHECK(cell_label(cell) == "attention d_model=64 seq_len=1024");
    CHECK(cell_label(cell, BatchInLabel::shown) == "attention batch=8 d_model=64 seq_len=1024");
    CHECK(measurement_label(cell, Phase::forward, "torchscript")
        == "attention d_model=64 seq_len=1024 forward torchscript");

    Measurement measurement;
    measurement.cell = CellKey { Workload::transformer_lm, 6, 192, 192 };
    measurement.phase = Phase::train_step;
    measurement.variant = "eager";
    CHECK(measurement_label(measurement, BatchInLabel::shown)
        == "transformer_lm batch=6 d_model=192 seq_len=192 train_step eager");
    CHECK(describe(measurement.cell, measurement.phase) == "transformer_lm train step");
}

TEST_CASE("join and int_list", "[text_format]")
{
    CHECK(join({}, ", ").empty());
    CHECK(join({ "a" }, ", ") == "a");
    CHECK(join({ "a", "b", "c" }, "; ") == "a; b; c");
    CHECK(int_list({ 16, 32, 64 }) == "16, 32, 64");
}
