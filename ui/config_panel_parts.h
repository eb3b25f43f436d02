// What the config_panel*.cpp files share and nothing else includes: the model's fields as a table (the builder makes
// one spin box per row, the mapping copies each row both ways) and small facts about a configuration.
#pragma once

#include "compilescope/config.h"

#include <QString>

#include <algorithm>
#include <array>
#include <string>
#include <vector>

class QFormLayout;
class QWidget;

namespace compilescope {

struct ModelField {
    const char* name;
    int64_t ModelConfig::*member;
    int maximum;
};

// The model fields in the order of the core's ModelConfig and the seed report's Model Configuration list; the name
// is the spin box's label, its object name after "model." and the validation field it marks.
inline constexpr std::array<ModelField, 8> model_fields { {
    { "vocab_size", &ModelConfig::vocab_size, 1 << 20 },
    { "context_length", &ModelConfig::context_length, 1 << 20 },
    { "d_model", &ModelConfig::d_model, 1 << 16 },
    { "num_layers", &ModelConfig::num_layers, 1024 },
    { "num_heads", &ModelConfig::num_heads, 1024 },
    { "d_ff", &ModelConfig::d_ff, 1 << 18 },
    { "batch", &ModelConfig::batch, 1 << 16 },
    { "seq_len", &ModelConfig::seq_len, 1 << 20 },
} };

inline QString qs(const std::string& text)
{
    return QString::fromStdString(text);
}

inline bool hasWorkload(const std::vector<Workload>& workloads, Workload workload)
{
    return std::find(workloads.begin(), workloads.end(), workload) != workloads.end();
}

/// Whether one of `workloads` can time `phase`: the other phases' boxes are greyed out and do not count
/// (config_panel_mapping.cpp).
bool offersPhase(const std::vector<Workload>& workloads, Phase phase);

/// The tooltip on a form's field and on its label (config_panel.cpp).
void setFieldToolTip(QFormLayout* form, QWidget* field, const QString& text);

} // namespace compilescope
