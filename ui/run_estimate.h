// The cost of a sweep before it runs, in words: shown under the configuration, and asked about when Run is
// pressed on a sweep that would take long or not fit (the core's estimate_run does the arithmetic).
#pragma once

#include "compilescope/config.h"
#include "compilescope/run_estimate.h"

#include <QString>

class QWidget;

namespace compilescope {

/// Past this (the estimate's typical figure, RunEstimate::seconds), Run asks before it starts.
inline constexpr double confirm_run_after_s = 30 * 60;

/// estimate_run with the device's roofs, probed once per process for each device and dtype (the first time on a
/// machine, about a second; then the core's cache). LibTorch must be up: call it once the capabilities are known.
RunEstimate estimateRun(const SweepConfig& config);

/// "16 measurements · about 45 s (25 s to 2 min) · largest cell 12.5 MiB (attention d_model=64 seq_len=1024
/// backward)", then a line of what the time includes ("Includes measuring 40 s, 1 compile 5 s").
QString describeEstimate(const RunEstimate& estimate);

/// Whether Run should ask first: longer than confirm_run_after_s, or cells that would be skipped for memory.
bool needsConfirmation(const RunEstimate& estimate);

/// Asks whether to start a sweep that needsConfirmation(); true at once when it does not.
bool confirmRun(QWidget* parent, const SweepConfig& config);

} // namespace compilescope
