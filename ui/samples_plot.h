// The raw timing samples of one cell and phase, every variant side by side: a strip plot (one column of jittered
// dots per variant, its median and quartiles as a box) on a linear or logarithmic ms axis.
#pragma once

#include "compilescope/results.h"

#include <QWidget>

#include <vector>

class QCheckBox;
class QCustomPlot;

namespace compilescope {

class SamplesPlot : public QWidget {
    Q_OBJECT
public:
    /// Copies what it shows from `run`: the plot stays as it is while a live run goes on.
    SamplesPlot(const RunResult& run, const CellKey& cell, Phase phase, QWidget* parent = nullptr);

    QCustomPlot* plot() const { return m_plot; }
    /// The variants drawn, left to right: those of the cell and phase that hold samples, in the run's order.
    std::vector<std::string> variants() const;
    bool isLogarithmic() const;
    void setLogarithmic(bool logarithmic);

private:
    /// A measurement drawn, with its variant's index among the run's variants (its colour on every chart).
    struct Strip {
        Measurement measurement;
        size_t color_index;
    };

    void rebuild();

    std::vector<Strip> m_strips;
    QString m_title;
    QCheckBox* m_logarithmic;
    QCustomPlot* m_plot = nullptr;
};

} // namespace compilescope
