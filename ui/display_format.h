// How numbers read on screen: the core's text formats (compilescope/text_format.h) as QString, under Qt's
// camelCase names.
#pragma once

#include "compilescope/results.h"

#include <QString>

namespace compilescope {

/// Milliseconds with three significant digits and no exponent ("0.0123", "3.28", "228", "1234").
QString formatMs(double milliseconds);
/// A speedup: "1.02x".
QString formatSpeedup(double speedup);
/// What stands in place of an interval that does not count: "too few samples", "time-slice grid".
QString noIntervalText(IntervalVerdict verdict);
/// Why, as a clause for tooltips: "fewer than 10 samples on a side: too few for an interval", ...
QString noIntervalReason(IntervalVerdict verdict);
/// A remaining or elapsed time: "42 s", "3 min 05 s", "1 h 02 min".
QString formatDuration(double seconds);
/// Bytes in binary units: "512 B", "3.4 MiB", "1.20 GiB".
QString formatBytes(qint64 bytes);
/// A rate with a decimal prefix and three significant digits, trailing zeros dropped: "4.8 TB/s", "989 TFLOP/s".
QString formatRate(double per_second, const QString& unit);
/// "attention batch=8 d_model=64 seq_len=1024" / "transformer_lm batch=6 d_model=192 seq_len=192".
QString describeCell(const CellKey& cell);
/// A measurement's identity for tooltips and logs: the cell, the phase and the variant.
QString describeMeasurement(const Measurement& measurement);
/// The core's under_load_note() of a measurement taken under load ("measured under load: other processes used 48% of
/// the 2 CPUs ..."); empty for any other.
QString underLoadNote(const Measurement& measurement);

} // namespace compilescope
