#include "compilescope/config.h"

#include <algorithm>
#include <cstdlib>
#include <pwd.h>
#include <unistd.h>

namespace compilescope {

std::string xdg_base_directory(const char* variable, const char* under_home)
{
    if (const char* value = std::getenv(variable); value && *value == '/')
        return value;
    std::string home;
    if (const char* value = std::getenv("HOME"); value && *value == '/')
        home = value;
    else if (const struct passwd* entry = ::getpwuid(::geteuid()); entry && entry->pw_dir && *entry->pw_dir == '/')
        home = entry->pw_dir;
    return home.empty() ? home : home + "/" + under_home;
}

std::string cache_directory()
{
    const std::string base = xdg_base_directory("XDG_CACHE_HOME", ".cache");
    return base.empty() ? base : base + "/compilescope";
}

std::string default_aoti_cache_directory()
{
    const std::string cache = cache_directory();
    return cache.empty() ? cache : cache + "/aoti";
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
