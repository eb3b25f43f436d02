#include "compilescope/config.h"

#include <algorithm>

namespace compilescope {

std::vector<Phase> selected_phases(const SweepConfig& config, Workload workload)
{
    std::vector<Phase> phases = phases_of(workload);
    if (config.phases.empty())
        return phases;
    // Report order comes from the workload, not from the order the user typed the phases in.
    phases.erase(std::remove_if(phases.begin(), phases.end(),
                     [&](Phase phase) {
                         return std::find(config.phases.begin(), config.phases.end(), phase) == config.phases.end();
                     }),
        phases.end());
    return phases;
}

} // namespace compilescope
