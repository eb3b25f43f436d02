// Shared helpers of the GUI tests: waiting on the event loop, a tiny real sweep, a hand-made run.
#pragma once

#include "compilescope/config.h"
#include "compilescope/results.h"

#include <functional>

namespace compilescope::test {

/// Runs the event loop until `condition` holds or `timeout_ms` passes; returns whether it held.
bool waitUntil(const std::function<bool()>& condition, int timeout_ms);

/// Attention only, d_model 16, seq_len 32 and 64, warm-up 1, exactly 2 timed iterations, eager + torchscript,
/// one thread: 12 real measurements in a few seconds.
SweepConfig tinySweep();

/// A finished run with hand-chosen samples (2 d_model x 2 seq_len x 3 attention phases x eager/torchscript), for
/// tests of exports and views that need no LibTorch.
RunResult sampleRun();

} // namespace compilescope::test
