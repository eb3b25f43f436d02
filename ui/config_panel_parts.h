// What the config_panel*.cpp files share and nothing else includes: small facts about a configuration.
#pragma once

#include "compilescope/config.h"

#include <QString>

#include <algorithm>
#include <string>
#include <vector>

class QFormLayout;
class QWidget;

namespace compilescope {

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
