// The device after a failed measurement: put back into a state the next measurement can trust, or said why not.
#pragma once

#include "compilescope/engine/engine_only.h"

#include "compilescope/types.h"

#include <string>

namespace compilescope::engine {

/// After a failure on `device`: mends what a failed CUDA capture leaves behind and returns what is still wrong, as
/// one sentence; "" when the device is fit for the next measurement. Checked on CUDA: a capture still open (a
/// device-wide synchronisation is refused then), a sticky CUDA error (an illegal address: nothing in this process
/// can use the device again), and a random draw, which fails while torch 2.11's default generator is still in
/// capture mode ("Offset increment outside graph capture"); its state is then replaced by a fresh one with the
/// same seed and offset, and drawn again. On the CPU there is nothing to check.
std::string restore_device(Device device);

} // namespace compilescope::engine
