// The sweep's plan: its cells, and the measurements it will make with their estimates. No LibTorch (the engine
// runs the plan; the GUI and the CLI only count and list it).
#include "compilescope/sweep_plan.h"

#include "cell.h"
#include "cost_model.h"

#include <algorithm>

namespace compilescope {

namespace engine {

namespace {

/// Every point of the file's axes, as nested loops in the axes' order would visit them.
void add_model_file_cells(Cell cell, const ModelFileConfig& model_file, std::vector<Cell>& cells)
{
    cell.model_file = model_file.path;
    std::vector<size_t> at(model_file.axes.size(), 0);
    if (model_file.axes.empty()
        || std::any_of(
            model_file.axes.begin(), model_file.axes.end(), [](const ModelAxis& axis) { return axis.values.empty(); }))
        return;
    for (;;) {
        cell.point.clear();
        for (size_t i = 0; i < at.size(); ++i)
            cell.point.push_back({ model_file.axes[i].name, model_file.axes[i].values[at[i]] });
        cells.push_back(cell);
        size_t axis = at.size();
        while (axis > 0 && ++at[axis - 1] == model_file.axes[axis - 1].values.size())
            at[--axis] = 0;
        if (axis == 0)
            return;
    }
}

} // namespace

std::vector<Cell> plan_cells(const SweepConfig& config)
{
    std::vector<Cell> cells;
    for (Workload workload : config.workloads) {
        Cell cell;
        cell.workload = workload;
        cell.device = config.device;
        cell.dtype = config.dtype;
        cell.seed = config.seed;
        cell.sdpa_backend = config.sdpa_backend;
        cell.aoti_cache = config.aoti_cache.empty() ? default_aoti_cache_directory() : config.aoti_cache;
        if (workload == Workload::attention) {
            cell.batch = config.attention.batch;
            cell.causal = config.attention.causal;
            for (int64_t d_model : config.attention.d_models) {
                for (int64_t seq_len : config.attention.seq_lens) {
                    cell.d_model = d_model;
                    cell.seq_len = seq_len;
                    cells.push_back(cell);
                }
            }
        } else if (workload == Workload::model_file) {
            add_model_file_cells(cell, config.model_file, cells);
        } else {
            cell.model = config.model;
            cell.batch = config.model.batch;
            cell.d_model = config.model.d_model;
            cell.seq_len = config.model.seq_len;
            cell.causal = true;
            cells.push_back(cell);
        }
    }
    return cells;
}

Measurement planned_measurement(const Cell& cell, Phase phase, const std::string& variant, int cpp_programs)
{
    Measurement measurement;
    measurement.cell = cell.key();
    measurement.phase = phase;
    measurement.variant = variant;
    measurement.flops = estimated_flops(cell, phase);
    measurement.bytes = estimated_bytes(cell, phase);
    measurement.estimated_memory_bytes = estimated_memory_bytes(cell, phase, cpp_programs);
    return measurement;
}

} // namespace engine

int planned_measurements(const SweepConfig& config)
{
    int count = 0;
    for (const engine::Cell& cell : engine::plan_cells(config)) {
        count += int(selected_phases(config, cell.workload).size() * config.variants.size());
    }
    return count;
}

std::vector<Measurement> plan_measurements(const SweepConfig& config)
{
    std::vector<Measurement> plan;
    for (const engine::Cell& cell : engine::plan_cells(config)) {
        for (Phase phase : selected_phases(config, cell.workload)) {
            for (const std::string& variant : config.variants) {
                plan.push_back(
                    engine::planned_measurement(cell, phase, variant, engine::live_cpp_programs(config.variants)));
                plan.back().status = MeasurementStatus::cancelled;
                plan.back().message = "not started: the sweep was cancelled";
            }
        }
    }
    return plan;
}

} // namespace compilescope
