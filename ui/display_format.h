// How numbers read on screen: latencies, speedups, durations, sizes, cells.
#pragma once

#include "compilescope/results.h"

#include <QString>

namespace compilescope {

/// Milliseconds with three significant digits or more ("0.0123", "3.28", "227.6", "1234").
QString formatMs(double milliseconds);
/// The seed report's speedup format: "1.02x".
QString formatSpeedup(double speedup);
/// A remaining or elapsed time: "42 s", "3 min 05 s", "1 h 02 min".
QString formatDuration(double seconds);
/// Bytes in binary units: "512 B", "3.4 MiB", "1.20 GiB".
QString formatBytes(qint64 bytes);
/// "attention d_model=64 seq_len=1024 batch=8" / "transformer_lm d_model=192 seq_len=192 batch=6".
QString describeCell(const CellKey& cell);
/// A measurement's identity for tooltips and logs: the cell, the phase and the variant.
QString describeMeasurement(const Measurement& measurement);

} // namespace compilescope
