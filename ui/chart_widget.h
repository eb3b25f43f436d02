// What the latency, speedup and heatmap charts share: a QCustomPlot bound to the run store, a selector of the
// workload and phase shown, batched rebuilds while a sweep runs, hover tooltips, zoom and pan.
#pragma once

#include "compilescope/types.h"

#include <qcustomplot.h>

#include <QPointF>
#include <QString>
#include <QTimer>
#include <QWidget>

#include <optional>
#include <vector>

class QComboBox;
class QHBoxLayout;
class QMouseEvent;

namespace compilescope {

class RunStore;

/// One workload and phase of a run: what a chart shows at a time.
struct ChartView {
    Workload workload = Workload::attention;
    Phase phase = Phase::forward;

    bool operator==(const ChartView& other) const { return workload == other.workload && phase == other.phase; }
};

/// Which statistic a chart centres on. Medians by default: timing samples are skewed, and a mean follows the
/// slowest iterations.
enum class Centre { median, mean };

class ChartWidget : public QWidget {
    Q_OBJECT
public:
    ChartWidget(const RunStore& store, QWidget* parent);

    /// The width of the view and variant combo boxes, in characters: enough for "TransformerLM · Train step"'s start,
    /// and no more, so that a chart never widens the window past a 1366-pixel screen.
    static constexpr int minimum_combo_characters = 18;

    QCustomPlot* plot() const { return m_plot; }
    /// The chart's name in menus and file names: "Latency", "latency".
    virtual QString chartName() const = 0;
    virtual QString fileStem() const = 0;

    /// The views this chart can draw for the current run, in report order.
    std::vector<ChartView> availableViews() const;
    /// Breaks the title into lines where it is wider than `width` pixels (0: the plot's width on screen). Exports call
    /// it with the image's width first, then with 0 again.
    void fitTitle(int width = 0);
    std::optional<ChartView> currentView() const { return m_view; }
    /// Shows `view` (rebuilt at once); ignored if the run has no such view.
    void setView(const ChartView& view);
    static QString viewLabel(const ChartView& view);

    Centre centre() const { return m_centre; }
    /// Redraws centred on medians (bars: quartiles; speedups: bootstrap interval) or means (bars: one standard
    /// deviation, never below the fastest iteration; speedups: delta-method interval).
    void setCentre(Centre centre);

    /// Rebuilds now; live updates are otherwise batched into one rebuild per ~40 ms.
    void rebuildNow();
    /// Rebuilds if the run changed while the chart was hidden (before exporting a chart of a background tab).
    void rebuildIfStale()
    {
        if (m_stale)
            rebuildNow();
    }
    /// Fits the axes to the data again after the user zoomed or panned.
    void resetZoom();

protected:
    void resizeEvent(QResizeEvent* event) override;
    /// Whether this chart can show a workload (the heatmap needs a d_model x seq_len grid).
    virtual bool supports(Workload) const { return true; }
    /// Clears the plot's contents, then draws the current view of the store's run (and baseline).
    virtual void rebuild(const ChartView& view) = 0;
    /// The tooltip for a point under the mouse, or empty; the default finds the nearest hover point.
    virtual QString tooltipAt(const QPointF& pixel) const;

    const RunStore& store() const { return m_store; }
    /// Adds a control (e.g. a variant selector) to the row above the plot.
    void addControl(QWidget* widget);
    void setTitle(const QString& title);
    /// A point whose exact values are shown when the mouse is near it (plot coordinates of the main axes).
    void addHoverPoint(double key, double value, const QString& text);
    /// Applies the axis ranges that fit the data, unless the user has zoomed or panned since the last reset.
    void fitAxes(const QCPRange& x_range, const QCPRange& y_range);
    void scheduleRebuild();
    /// Sets the element beside the axis rect (legend by default) before the first rebuild.
    void setSideElement(QCPLayoutElement* element);
    /// A line of context for titles: "batch 8 · fp32 · cpu".
    QString runContext(const ChartView& view) const;

    bool event(QEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    void onMouseMove(QMouseEvent* event);
    /// Shows tooltipAt(pixel) at `global` (screen coordinates), or hides the tooltip where there is none.
    void showToolTip(const QPointF& pixel, const QPoint& global);
    /// After a rebuild: the tooltip this chart shows describes what is under the mouse now.
    void refreshToolTip();
    void refreshViewCombo();
    void clearPlot();
    void onRunReset();

    struct HoverPoint {
        double key;
        double value;
        QString text;
    };

    const RunStore& m_store;
    QCustomPlot* m_plot;
    QCPTextElement* m_title = nullptr;
    QString m_full_title; ///< setTitle()'s text; m_title shows it broken into lines where the chart is narrow
    QHBoxLayout* m_controls;
    QComboBox* m_view_combo;
    std::optional<ChartView> m_view;
    std::vector<HoverPoint> m_hover_points;
    QString m_tooltip; ///< the text this chart last showed as a tooltip
    QTimer m_rebuild_timer;
    bool m_stale = false;
    bool m_user_zoomed = false;
    Centre m_centre = Centre::median;
    QCPRange m_fitted_x;
    QCPRange m_fitted_y;
};

} // namespace compilescope
