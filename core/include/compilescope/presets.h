// Named starting points: the seed report's configuration and the CS336 model sizes.
#pragma once

#include "compilescope/config.h"

#include <optional>
#include <string>
#include <vector>

namespace compilescope {

struct Preset {
    std::string name;
    std::string description;
    AttentionConfig attention;
    ModelConfig model;
};

/// seed, cs336-small, cs336-medium, cs336-large, cs336-xl, cs336-2.7b, in that order.
const std::vector<Preset>& all_presets();
std::optional<Preset> find_preset(const std::string& name);
std::vector<std::string> preset_names();

/// Applies a preset's attention grid and model to a configuration (other settings untouched).
void apply_preset(const Preset& preset, SweepConfig& config);

/// Shrinks a configuration to a first look: a small grid, few warm-ups, short timing windows.
void apply_quick(SweepConfig& config);

} // namespace compilescope
