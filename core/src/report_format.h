// Number and label formatting shared by the Markdown and CSV reports, so one value reads the same everywhere.
#pragma once

#include "compilescope/results.h"
#include "compilescope/variant_names.h"

#include <cstdint>
#include <string>
#include <vector>

namespace compilescope {

/// Shown where a table has no value.
inline constexpr const char* no_value = "—";

/// `value` with a fixed number of decimals ("227.56").
std::string fixed(double value, int decimals);

/// The seed report's cell: mean with 2 decimals, std with 1 ("227.56±7.4").
std::string mean_std(const Stats& stats);

/// The seed report's speedup: 2 decimals and an x ("1.02x"); no_value when not finite.
std::string speedup_text(double ratio);

/// "[0.98x, 1.05x]", or no_value when the interval is unknown.
std::string interval_text(double low, double high);

/// A fraction as a percentage with one decimal ("3.2%").
std::string percent(double fraction);

/// Bytes in MiB with one decimal.
std::string mebibytes(int64_t bytes);

/// The first `length` bytes of `text` and an ellipsis, or `text` if it is no longer (C++ kernel names).
std::string shortened(const std::string& text, size_t length);

/// A rate in decimal units with three significant digits: rate(2.5e12, "FLOP/s") is "2.50 TFLOP/s".
std::string rate(double per_second, const std::string& unit);

/// Three significant digits in scientific notation ("1.23e-06"), for errors and tolerances.
std::string scientific(double value);

/// The shortest text that reads back as the same double; empty for NaN and infinities.
std::string round_trip(double value);

std::string join(const std::vector<std::string>& items, const std::string& separator);

/// "16, 32, 64".
std::string int_list(const std::vector<int64_t>& values);

/// A phase in running text: "forward", "forward+backward", "train step".
std::string phase_words(Phase phase);

/// Where a measurement is, in words: "attention forward, d_model 32, seq_len 4096" or "transformer_lm train step".
std::string describe(const CellKey& cell, Phase phase);

/// The start of an ISO 8601 timestamp as the seed report's date ("2025-05-30 20:59:08").
std::string seed_date(const std::string& iso_timestamp);

} // namespace compilescope
