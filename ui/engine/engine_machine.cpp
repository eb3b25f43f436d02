#include "engine/engine_machine.h"

#include "compilescope/engine/environment.h"
#include "compilescope/engine/run_estimate.h"
#include "compilescope/engine/variants.h"

namespace compilescope {

Capabilities EngineMachine::capabilities() const
{
    Capabilities capabilities;
    capabilities.environment = collect_environment();
    capabilities.cuda = cuda_available();
    capabilities.cpu_variants = list_variants(Device::cpu);
    if (capabilities.cuda)
        capabilities.cuda_variants = list_variants(Device::cuda);
    return capabilities;
}

std::vector<ConfigError> EngineMachine::validate(const SweepConfig& config) const
{
    return validate_config(config);
}

RunEstimate EngineMachine::estimate(const SweepConfig& config) const
{
    const std::pair key { config.device, config.dtype };
    DevicePeaks peaks;
    {
        const std::lock_guard lock(m_roofs_mutex);
        auto found = m_roofs.find(key);
        if (found == m_roofs.end())
            found = m_roofs.emplace(key, device_roofs(config.device, config.dtype)).first;
        peaks = found->second;
    }
    return estimate_run(config, peaks);
}

} // namespace compilescope
