// Every measurement of the run as a table row with every statistic; failed and skipped rows carry their reason.
// With a comparison run loaded (File ▸ Compare), two columns compare each row with its matching measurement.
#pragma once

#include <QAbstractTableModel>

namespace compilescope {

class RunStore;
struct Measurement;

class ResultsTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    /// Raw numbers for sorting (display text would sort "10" before "9").
    static constexpr int sort_role = Qt::UserRole;
    /// On column 0: the row's identifying columns and status as one text ("attention forward eager batch=8
    /// d_model=64 seq_len=1024 ok"), what the Results filter searches.
    static constexpr int filter_role = Qt::UserRole + 1;
    /// Columns that name the measurement (workload, phase, variant and the cell), stay visible when scrolling.
    static constexpr int identifying_column_count = 6;

    enum Column {
        workload,
        phase,
        variant,
        batch,
        d_model,
        seq_len,
        status,
        load, ///< what other processes used of the CPUs while it was timed; marked when under load, and re-run
        mean_ms,
        std_ms,
        median_ms,
        q1_ms,
        q3_ms,
        iqr_ms,
        min_ms,
        max_ms,
        samples,
        cv,
        speedup_mean,
        speedup_median,
        speedup_ci,
        compile_ms,
        first_call_ms,
        peak_memory,
        launches, ///< kernels (CUDA) or operators (CPU) per iteration, from the profiled pass
        busy, ///< the device's busy share of the median, from the profiled pass
        bound, ///< launch-, memory- or compute-bound, with the share of the roof
        correctness,
        message,
        baseline_median_ms, ///< only with a comparison run (RunStore's baseline): its median
        baseline_ratio, ///< only with a comparison run: its median / this median (> 1: this run is faster)
        column_count_with_baseline,
    };

    explicit ResultsTableModel(const RunStore& store, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVariant display(const Measurement& measurement, int column) const;
    QVariant sortValue(const Measurement& measurement, int column) const;
    QString filterText(const Measurement& measurement) const;
    void onMeasurementAppended(int index);
    void onReset();

    const RunStore& m_store;
    int m_rows = 0;
    bool m_with_baseline = false;
};

} // namespace compilescope
