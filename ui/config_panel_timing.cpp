// The Timing group box: warm-up, timed iterations or adaptive timing, threads, L2 flushing and the profiled pass.
#include "config_panel.h"

#include "config_panel_parts.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QSpinBox>
#include <QThread>

namespace compilescope {

QGroupBox* ConfigPanel::buildTimingGroup()
{
    auto* group = new QGroupBox(tr("Timing"), this);
    auto* form = new QFormLayout(group);
    m_warmup = addSpinBox(group, QStringLiteral("timing.warmup"), tr("Warm-up iterations"), 0, 100000);
    m_iterations = addSpinBox(group, QStringLiteral("timing.iterations"), tr("Timed iterations"), 0, 1000000);
    m_iterations->setSpecialValueText(tr("adaptive"));
    m_iterations->setToolTip(tr("A fixed count, or adaptive: run for at least the minimum time, then until the "
                                "standard error is small enough"));

    m_min_time = new QDoubleSpinBox(group);
    m_min_time->setObjectName(QStringLiteral("timing.min_time"));
    m_min_time->setRange(0.01, 3600);
    m_min_time->setDecimals(2);
    m_min_time->setSuffix(tr(" s"));
    form->addRow(tr("Minimum time"), m_min_time);

    m_threads = addSpinBox(group, QStringLiteral("timing.threads"), tr("Threads"), 0, 4 * QThread::idealThreadCount());
    m_threads->setSpecialValueText(tr("LibTorch default"));

    m_flush_l2 = new QCheckBox(tr("Flush L2 before each iteration"), group);
    m_flush_l2->setObjectName(QStringLiteral("timing.flush_l2"));
    m_flush_l2->setToolTip(tr("CUDA only: overwrite twice the L2 cache before every timed iteration, so each "
                              "starts with a cold cache"));
    form->addRow(QString(), m_flush_l2);
    connect(m_flush_l2, &QCheckBox::toggled, this, &ConfigPanel::onEdited);

    m_profile = new QCheckBox(tr("Profiled pass (kernels, GPU busy, traces)"), group);
    m_profile->setObjectName(QStringLiteral("timing.profile"));
    m_profile->setToolTip(tr("After each measurement's timed iterations, run a few more under LibTorch's profiler "
                             "(Kineto): kernels or operators per iteration, GPU-busy share, top kernels and a Chrome "
                             "trace (Results: right-click). Timed figures never include the profiler."));
    form->addRow(QString(), m_profile);
    connect(m_profile, &QCheckBox::toggled, this, &ConfigPanel::onEdited);

    connect(m_min_time, &QDoubleSpinBox::valueChanged, this, &ConfigPanel::onEdited);
    return group;
}

} // namespace compilescope
