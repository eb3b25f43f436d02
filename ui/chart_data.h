// Selecting and ordering a run's measurements for the charts.
#pragma once

#include "chart_widget.h"
#include "compilescope/results.h"

#include <QVector>

#include <cstdint>
#include <string>
#include <vector>

namespace compilescope {

bool inView(const Measurement& measurement, const ChartView& view);

/// The distinct d_model / seq_len values of a view's measurements in `runs` (null entries skipped), ascending.
std::vector<int64_t> viewDModels(const std::vector<const RunResult*>& runs, const ChartView& view);
std::vector<int64_t> viewSeqLens(const std::vector<const RunResult*>& runs, const ChartView& view);

/// The successful measurements of one d_model and variant in a view, by ascending seq_len.
std::vector<const Measurement*> series(
    const RunResult& run, const ChartView& view, int64_t d_model, const std::string& variant);

/// Fixed x ticks at the swept seq_len values.
void setSeqLenTicks(QCPAxis* axis, const std::vector<int64_t>& seq_lens);

} // namespace compilescope
