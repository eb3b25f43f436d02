// The desktop app's Machine answered by the engine library (LibTorch), in-process. Linked by the programs
// (compilescope, ui_tests), never by the ui library.
#pragma once

#include "machine.h"

#include <map>
#include <mutex>
#include <utility>

namespace compilescope {

class EngineMachine : public Machine {
public:
    Capabilities capabilities() const override;
    std::vector<ConfigError> validate(const SweepConfig& config) const override;
    RunEstimate estimate(const SweepConfig& config) const override;

private:
    // The roofs come from a file or a probe; a panel re-estimates on every edit, so they are kept for the process.
    mutable std::mutex m_roofs_mutex;
    mutable std::map<std::pair<Device, Dtype>, DevicePeaks> m_roofs;
};

} // namespace compilescope
