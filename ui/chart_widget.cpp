#include "chart_widget.h"

#include "chart_style.h"
#include "compilescope/config.h"
#include "run_store.h"

#include <QComboBox>
#include <QCursor>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolTip>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>

namespace compilescope {

namespace {

constexpr int rebuild_delay_ms = 40;
constexpr double hover_radius_px = 12;

} // namespace

ChartWidget::ChartWidget(const RunStore& store, QWidget* parent)
    : QWidget(parent)
    , m_store(store)
    , m_plot(new QCustomPlot(this))
    , m_controls(new QHBoxLayout)
    , m_view_combo(new QComboBox(this))
{
    m_view_combo->setObjectName(QStringLiteral("chartView"));
    // Long view names must not widen the window past a small screen: the combo shrinks, its list keeps the names.
    m_view_combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_view_combo->setMinimumContentsLength(minimum_combo_characters);
    m_controls->addWidget(new QLabel(tr("Show"), this));
    m_controls->addWidget(m_view_combo);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(m_controls);
    layout->addWidget(m_plot, 1);
    m_controls->addStretch(1);
    auto* hint = new QLabel(tr("drag: pan · wheel: zoom · double-click: fit"), this);
    hint->setEnabled(false);
    hint->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred); // gives way to the controls when narrow
    hint->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_controls->addWidget(hint);

    // QCustomPlot's own minimum is its widest text (a long title, the heatmap's colour-bar label), which pushed the
    // window off a 1366-pixel screen; a set minimum takes its place, and a title too long for the width is clipped.
    m_plot->setMinimumSize(320, 200);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->setMouseTracking(true);
    m_plot->legend->setVisible(true);
    // Charts add legend entries themselves, and only a few: QCustomPlot re-lays out the whole legend on every entry
    // added or removed, so one entry per curve (then removed for the key legend) cost minutes with thousands of
    // d_models.
    m_plot->setAutoAddPlottableToLegend(false);
    m_title = layoutWithTitle(m_plot, m_plot->legend);

    m_rebuild_timer.setSingleShot(true);
    m_rebuild_timer.setInterval(rebuild_delay_ms);
    connect(&m_rebuild_timer, &QTimer::timeout, this, &ChartWidget::rebuildNow);

    connect(&store, &RunStore::runReset, this, &ChartWidget::onRunReset);
    connect(&store, &RunStore::measurementAppended, this, &ChartWidget::scheduleRebuild);
    connect(&store, &RunStore::measurementReplaced, this, &ChartWidget::scheduleRebuild);
    connect(&store, &RunStore::runFinished, this, &ChartWidget::scheduleRebuild);
    connect(&store, &RunStore::baselineChanged, this, &ChartWidget::scheduleRebuild);
    connect(m_view_combo, &QComboBox::activated, this, [this] { rebuildNow(); });
    connect(m_plot, &QCustomPlot::mouseMove, this, &ChartWidget::onMouseMove);
    connect(m_plot, &QCustomPlot::mouseWheel, this, [this] { m_user_zoomed = true; });
    connect(m_plot, &QCustomPlot::mouseRelease, this, [this] {
        // A click without a drag leaves the ranges alone and should not stop the live auto-fit.
        if (m_plot->xAxis->range() != m_fitted_x || m_plot->yAxis->range() != m_fitted_y)
            m_user_zoomed = true;
    });
    connect(m_plot, &QCustomPlot::mouseDoubleClick, this, &ChartWidget::resetZoom);
    applyPalette(m_plot, palette());
    m_stale = true; // built when first shown (or asked for): the subclass is not constructed yet
}

std::vector<ChartView> ChartWidget::availableViews() const
{
    std::vector<ChartView> views;
    auto add = [&](Workload workload, Phase phase) {
        const ChartView view { workload, phase };
        if (supports(workload) && std::find(views.begin(), views.end(), view) == views.end())
            views.push_back(view);
    };
    const RunResult& run = m_store.run();
    if (run.measurements.empty() && !m_store.isLive())
        return views;
    for (Workload workload : run.config.workloads) {
        for (Phase phase : selected_phases(run.config, workload))
            add(workload, phase);
    }
    // A loaded run may hold measurements its configuration no longer names.
    for (const Measurement& measurement : run.measurements)
        add(measurement.cell.workload, measurement.phase);
    return views;
}

void ChartWidget::setView(const ChartView& view)
{
    const auto views = availableViews();
    if (std::find(views.begin(), views.end(), view) == views.end())
        return;
    m_view = view;
    refreshViewCombo();
    rebuildNow();
}

QString ChartWidget::viewLabel(const ChartView& view)
{
    const QString workload = view.workload == Workload::attention ? tr("Attention") : tr("TransformerLM");
    return workload + QStringLiteral(" · ") + QString::fromStdString(display_name(view.phase));
}

void ChartWidget::setCentre(Centre centre)
{
    if (centre == m_centre)
        return;
    m_centre = centre;
    rebuildNow();
}

void ChartWidget::rebuildNow()
{
    m_rebuild_timer.stop();
    m_stale = false;
    if (m_view_combo->currentIndex() >= 0) {
        const QVariant data = m_view_combo->currentData();
        m_view = ChartView { static_cast<Workload>(data.toList().value(0).toInt()),
            static_cast<Phase>(data.toList().value(1).toInt()) };
    }
    refreshViewCombo();
    clearPlot();
    if (m_view)
        rebuild(*m_view);
    else
        setTitle(tr("No measurements yet: configure a sweep and press Run (Ctrl+R), or open a saved run (Ctrl+O)"));
    // Empty axes with made-up ranges would suggest data; show only the title until there is something to plot, and
    // say why when the view's measurements all ended without a timing (e.g. a sweep cancelled before any finished).
    const auto& measurements = m_store.run().measurements;
    auto inThisView = [&](const Measurement& m) {
        return m_view && m.cell.workload == m_view->workload && m.phase == m_view->phase;
    };
    const bool timed = std::any_of(measurements.begin(), measurements.end(),
        [&](const Measurement& m) { return inThisView(m) && m.ok() && m.stats.n > 0; });
    if (!timed && std::any_of(measurements.begin(), measurements.end(), inThisView))
        setTitle(tr("%1: no measurement finished here (cancelled, failed, skipped or unavailable: see Results)")
                     .arg(viewLabel(*m_view)));
    m_plot->axisRect()->setVisible(timed);
    m_plot->legend->setVisible(m_plot->legend->itemCount() > 0);
    m_plot->replot(QCustomPlot::rpQueuedRefresh); // lays the plot out now: the tooltip below needs its pixels
    refreshToolTip();
}

void ChartWidget::resetZoom()
{
    m_user_zoomed = false;
    rebuildNow();
}

QString ChartWidget::tooltipAt(const QPointF& pixel) const
{
    const HoverPoint* nearest = nullptr;
    double best = hover_radius_px * hover_radius_px;
    for (const HoverPoint& point : m_hover_points) {
        const double dx = m_plot->xAxis->coordToPixel(point.key) - pixel.x();
        const double dy = m_plot->yAxis->coordToPixel(point.value) - pixel.y();
        if (dx * dx + dy * dy <= best) {
            best = dx * dx + dy * dy;
            nearest = &point;
        }
    }
    return nearest ? nearest->text : QString();
}

void ChartWidget::addControl(QWidget* widget)
{
    // After the view selector and the controls added before, left of the stretch.
    m_controls->insertWidget(m_controls->count() - 2, widget);
}

void ChartWidget::setTitle(const QString& title)
{
    m_full_title = title;
    fitTitle();
}

void ChartWidget::fitTitle(int width)
{
    // A title wider than the chart (a small screen, a long variant name) breaks before its run details, then in the
    // middle of its first line, then between words, rather than being cut off at both ends.
    const QFontMetrics metrics(m_title->font());
    // The title shares the chart's width with the side column (legend or colour bar) beside it.
    int side = 0;
    if (QCPLayoutElement* element = m_plot->plotLayout()->element(1, 1))
        side = std::max(element->outerRect().width(), element->minimumOuterSizeHint().width());
    const int room = (width > 0 ? width : m_plot->width()) - side - 16;
    if (metrics.horizontalAdvance(m_full_title) <= room) {
        m_title->setText(m_full_title);
        return;
    }
    QStringList lines = m_full_title.split(QStringLiteral(" — "));
    if (lines.size() == 2 && metrics.horizontalAdvance(lines.first()) > room) {
        const QString separator = QStringLiteral(" · ");
        const QString& first = lines.first();
        qsizetype middle = first.lastIndexOf(separator, first.size() / 2);
        if (middle <= 0)
            middle = first.indexOf(separator, first.size() / 2);
        if (middle > 0)
            lines.replace(
                0, lines.first().left(middle) + QLatin1Char('\n') + lines.first().mid(middle + separator.size()));
    }
    // A part still too wide (the heatmap's key, a long variant name on a small screen) breaks between its words.
    QStringList fitted;
    for (const QString& line : lines.join(QLatin1Char('\n')).split(QLatin1Char('\n')))
        fitted << wrapToWidth(line, metrics, room);
    m_title->setText(fitted.join(QLatin1Char('\n')));
}

void ChartWidget::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    if (!m_full_title.isEmpty()) {
        fitTitle();
        m_plot->replot(QCustomPlot::rpQueuedReplot);
    }
}

void ChartWidget::addHoverPoint(double key, double value, const QString& text)
{
    m_hover_points.push_back({ key, value, text });
}

void ChartWidget::fitAxes(const QCPRange& x_range, const QCPRange& y_range)
{
    if (m_user_zoomed)
        return;
    m_plot->xAxis->setRange(x_range);
    m_plot->yAxis->setRange(y_range);
    m_fitted_x = m_plot->xAxis->range();
    m_fitted_y = m_plot->yAxis->range();
}

void ChartWidget::scheduleRebuild()
{
    // A chart in a background tab is rebuilt when it is shown: during a sweep only the visible one costs time.
    if (!isVisible()) {
        m_stale = true;
        return;
    }
    if (!m_rebuild_timer.isActive())
        m_rebuild_timer.start();
}

void ChartWidget::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    rebuildIfStale();
}

void ChartWidget::setSideElement(QCPLayoutElement* element)
{
    QCPLayoutGrid* layout = m_plot->plotLayout();
    if (QCPLayoutElement* old = layout->hasElement(1, 1) ? layout->element(1, 1) : nullptr) {
        layout->take(old);
        old->setVisible(false);
    }
    layout->addElement(1, 1, element);
    applyPalette(m_plot, palette());
}

QString ChartWidget::runContext(const ChartView& view) const
{
    const SweepConfig& config = m_store.run().config;
    const int64_t batch = view.workload == Workload::attention ? config.attention.batch : config.model.batch;
    return tr("batch %1 · %2 · %3")
        .arg(batch)
        .arg(QString::fromStdString(to_string(config.dtype)), QString::fromStdString(to_string(config.device)));
}

bool ChartWidget::event(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange) {
        applyPalette(m_plot, palette());
        scheduleRebuild();
    }
    return QWidget::event(event);
}

void ChartWidget::onMouseMove(QMouseEvent* event)
{
    showToolTip(event->position(), event->globalPosition().toPoint());
}

void ChartWidget::showToolTip(const QPointF& pixel, const QPoint& global)
{
    m_tooltip = tooltipAt(pixel);
    if (m_tooltip.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(global, m_tooltip, m_plot);
}

void ChartWidget::refreshToolTip()
{
    // A tooltip follows the mouse, and the mouse may rest while a live sweep redraws the chart underneath it: new
    // rows and columns move the cells, new points the curves. Without this, the tooltip kept describing what was
    // there before (up to ten seconds, or until the mouse moved).
    if (m_tooltip.isEmpty() || !QToolTip::isVisible() || QToolTip::text() != m_tooltip)
        return;
    const QPoint global = QCursor::pos();
    const QPoint pixel = m_plot->mapFromGlobal(global);
    if (!m_plot->rect().contains(pixel)) {
        m_tooltip.clear();
        return QToolTip::hideText();
    }
    showToolTip(pixel, global);
}

void ChartWidget::refreshViewCombo()
{
    const auto views = availableViews();
    if (!views.empty() && (!m_view || std::find(views.begin(), views.end(), *m_view) == views.end()))
        m_view = views.front();
    if (views.empty())
        m_view.reset();

    const QSignalBlocker blocker(m_view_combo);
    m_view_combo->clear();
    for (const ChartView& view : views) {
        m_view_combo->addItem(
            viewLabel(view), QVariantList { static_cast<int>(view.workload), static_cast<int>(view.phase) });
        if (m_view && view == *m_view)
            m_view_combo->setCurrentIndex(m_view_combo->count() - 1);
    }
}

void ChartWidget::clearPlot()
{
    m_plot->clearPlottables();
    m_plot->clearItems();
    m_plot->legend->clearItems(); // key legends are not plottables' entries
    m_hover_points.clear();
}

void ChartWidget::onRunReset()
{
    m_user_zoomed = false;
    scheduleRebuild();
}

} // namespace compilescope
