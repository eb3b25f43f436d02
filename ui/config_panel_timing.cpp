// The Timing group box: warm-up, timed iterations or adaptive timing, threads, L2 flushing and the profiled pass, each
// a plain setting (settings.h).
#include "config_panel.h"

#include <QFormLayout>
#include <QGroupBox>

namespace compilescope {

QGroupBox* ConfigPanel::buildTimingGroup()
{
    auto* group = new QGroupBox(tr("Timing"), this);
    new QFormLayout(group);
    addSettingRows(group, PanelGroup::timing);
    return group;
}

} // namespace compilescope
