#include "chart_data.h"

#include "chart_style.h"

#include <algorithm>
#include <set>

namespace compilescope {

namespace {

template <typename Field>
std::vector<int64_t> distinct(const std::vector<const RunResult*>& runs, const ChartView& view, Field field)
{
    std::set<int64_t> values;
    for (const RunResult* run : runs) {
        if (!run)
            continue;
        for (const Measurement& measurement : run->measurements) {
            if (inView(measurement, view))
                values.insert(field(measurement.cell));
        }
    }
    return { values.begin(), values.end() };
}

} // namespace

bool inView(const Measurement& measurement, const ChartView& view)
{
    return measurement.cell.workload == view.workload && measurement.phase == view.phase;
}

std::vector<int64_t> viewDModels(const std::vector<const RunResult*>& runs, const ChartView& view)
{
    return distinct(runs, view, [](const CellKey& cell) { return cell.d_model; });
}

std::vector<int64_t> viewSeqLens(const std::vector<const RunResult*>& runs, const ChartView& view)
{
    return distinct(runs, view, [](const CellKey& cell) { return cell.seq_len; });
}

std::vector<const Measurement*> series(
    const RunResult& run, const ChartView& view, int64_t d_model, const std::string& variant)
{
    std::vector<const Measurement*> points;
    for (const Measurement& measurement : run.measurements) {
        if (inView(measurement, view) && measurement.ok() && measurement.cell.d_model == d_model
            && measurement.variant == variant)
            points.push_back(&measurement);
    }
    std::stable_sort(points.begin(), points.end(),
        [](const Measurement* a, const Measurement* b) { return a->cell.seq_len < b->cell.seq_len; });
    return points;
}

void setSeqLenTicks(QCPAxis* axis, const std::vector<int64_t>& seq_lens)
{
    QVector<double> positions;
    QVector<QString> labels;
    for (int64_t seq_len : seq_lens) {
        positions << static_cast<double>(seq_len);
        labels << QString::number(seq_len);
    }
    setFixedTicks(axis, positions, labels);
}

} // namespace compilescope
