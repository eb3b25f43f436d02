// How numbers, durations, sizes and cells read as text, in the reports, the CLI and (wrapped in QString) the GUI:
// one home, so that one value reads the same everywhere.
#pragma once

#include "compilescope/results.h"
#include "compilescope/types.h"

#include <cstdint>
#include <string>
#include <vector>

namespace compilescope {

/// Shown where a table has no value.
inline constexpr const char* no_value = "—";

// --- Numbers

/// `value` with a fixed number of decimals ("227.56").
std::string fixed(double value, int decimals);

/// Milliseconds with three significant digits and no exponent ("0.0523", "3.28", "228", "1234").
std::string ms_text(double milliseconds);

/// Mean and standard deviation at the mean's precision (ms_text): "0.0523±0.0012".
std::string mean_std_text(const Stats& stats);

/// The seed report's cell: mean with 2 decimals, std with 1 ("227.56±7.4").
std::string mean_std(const Stats& stats);

/// A speedup: 2 decimals and an x ("1.02x"); no_value when not finite.
std::string speedup_text(double ratio);

/// "[0.98x, 1.05x]", or no_value when the interval is unknown.
std::string interval_text(double low, double high);

/// What stands in a table in place of an interval that does not count (interval_verdict): "too few samples" or
/// "time-slice grid"; empty when it counts.
std::string no_interval_text(IntervalVerdict verdict);

/// Why, as a clause for tooltips and reports: "fewer than 10 samples on a side: too few for an interval", "a side's
/// samples sit on the scheduler's time-slice grid: the timing is the scheduler's"; empty when it counts.
std::string no_interval_reason(IntervalVerdict verdict);

/// A scheduler tick (TimeSliceGrid::step_ms): "4 ms", "10 ms", "3.33 ms".
std::string time_slice_text(double step_ms);

/// A speedup's median interval ("[0.98x, 1.05x]"), or no_interval_text() when it does not count.
std::string median_interval_text(const Speedup& speedup);

/// The same for the mean ratio's interval.
std::string mean_interval_text(const Speedup& speedup);

/// A fraction as a percentage with one decimal ("3.2%").
std::string percent(double fraction);

/// Bytes in MiB with one decimal and no unit, for tables whose header names it ("3.4").
std::string mebibytes(int64_t bytes);

/// Bytes in binary units: "512 B", "3.4 MiB", "1.20 GiB".
std::string bytes_text(int64_t bytes);

/// A remaining or elapsed time: "42 s", "3 min 05 s", "1 h 02 min" (negative counts as 0).
std::string duration_text(double seconds);

/// An estimated time, to the precision an estimate has: "8 s", "45 s" (5 s steps from 10 s), "9 min" (whole
/// minutes from 1 min), "3 h 10 min" (10 min steps from 1 h). Negative counts as 0.
std::string approximate_duration_text(double seconds);

/// Whether a number keeps the zeros that pad it to its digits ("2.50", a table's column) or drops them ("2.5", a
/// label on a chart).
enum class TrailingZeros { kept, dropped };

/// A rate in decimal units with three significant digits: rate(2.5e12, "FLOP/s") is "2.50 TFLOP/s", or
/// "2.5 TFLOP/s" with the trailing zeros dropped.
std::string rate(double per_second, const std::string& unit, TrailingZeros zeros = TrailingZeros::kept);

/// Three significant digits in scientific notation ("1.23e-06"), for errors and tolerances.
std::string scientific(double value);

/// A number as `ostream <<` writes it, 6 significant digits ("0.5", "10000", "1e-06"): messages and --help defaults.
std::string plain_number(double value);

/// The shortest text that reads back as the same double; empty for NaN and infinities.
std::string round_trip(double value);

// --- Lists and text

std::string join(const std::vector<std::string>& items, const std::string& separator);

/// "16, 32, 64" (or with another separator: "16,32,64", as flags take lists).
std::string int_list(const std::vector<int64_t>& values, const std::string& separator = ", ");

/// The first `length` bytes of `text` and an ellipsis, or `text` if it is no longer (C++ kernel names).
std::string shortened(const std::string& text, size_t length);

/// The start of an ISO 8601 timestamp as the seed report's date ("2025-05-30 20:59:08").
std::string seed_date(const std::string& iso_timestamp);

// --- Cells and measurements

/// Whether a cell label names the batch: within one sweep it is the config's, on its own a line needs it.
enum class BatchInLabel { hidden, shown };

/// The one label of a cell: "attention d_model=64 seq_len=1024", or with the batch shown
/// "attention batch=8 d_model=64 seq_len=1024". A model file's cell names its point on every axis of the file (which
/// holds its own batch, if any): "model_file batch=2 seq_len=64".
std::string cell_label(const CellKey& cell, BatchInLabel batch = BatchInLabel::hidden);

/// The columns that place a cell in a table (CLI results, the report's tables, CSV): batch, d_model, seq_len; in a
/// model file's run, the file's own axes. The values are a cell's in the same order ("-" where it has none).
std::vector<std::string> cell_column_names(const SweepConfig& config);
std::vector<std::string> cell_column_values(const SweepConfig& config, const CellKey& cell);

/// The cell, the phase and the variant: "attention d_model=64 seq_len=1024 forward torchscript".
std::string measurement_label(
    const CellKey& cell, Phase phase, const std::string& variant, BatchInLabel batch = BatchInLabel::hidden);
std::string measurement_label(const Measurement& measurement, BatchInLabel batch = BatchInLabel::hidden);

/// A phase in running text: "forward", "forward+backward", "train step".
std::string phase_words(Phase phase);

/// Where a measurement is, in the reports' prose: "attention forward, d_model 32, seq_len 4096" or
/// "transformer_lm train step".
std::string describe(const CellKey& cell, Phase phase);

} // namespace compilescope
