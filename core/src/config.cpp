#include "compilescope/config.h"

#include <algorithm>
#include <cstdlib>

namespace compilescope {

std::string cache_directory()
{
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
        return std::string(xdg) + "/compilescope";
    const char* home = std::getenv("HOME");
    return std::string(home && *home ? home : "/tmp") + "/.cache/compilescope";
}

std::string default_aoti_cache_directory()
{
    return cache_directory() + "/aoti";
}

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
