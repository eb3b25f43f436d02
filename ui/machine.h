// What the desktop app asks of LibTorch, behind one interface. The ui library links only the torch-free model
// library, so opening, comparing and drawing runs load no LibTorch code (the build checks it: ui/CMakeLists.txt);
// main() installs the engine's answers (ui/engine/engine_machine.h). Sweeps themselves run in compilescope-worker.
#pragma once

#include "capabilities.h"
#include "compilescope/run_estimate.h"
#include "compilescope/validation.h"

#include <memory>
#include <vector>

namespace compilescope {

class Machine {
public:
    virtual ~Machine() = default;
    /// Devices, variants and the environment. May initialise LibTorch and CUDA: call it off the GUI thread.
    virtual Capabilities capabilities() const = 0;
    /// validate_config against what this machine offers (registered variants, a CUDA device or not).
    virtual std::vector<ConfigError> validate(const SweepConfig& config) const = 0;
    /// estimate_run with the device's roofs; the first call for a device and dtype may probe for about a second.
    virtual RunEstimate estimate(const SweepConfig& config) const = 0;
};

/// Installs the machine the ui asks, once in main() before any widget exists.
void installMachine(std::unique_ptr<Machine> machine);

/// The installed machine; throws std::logic_error when main() installed none.
const Machine& machine();

} // namespace compilescope
