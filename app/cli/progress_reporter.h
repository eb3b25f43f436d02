// Shows a running sweep on standard error: a redrawn bar on a terminal, one line per measurement otherwise.
#pragma once

#include "compilescope/results.h"
#include "compilescope/sweep_events.h"

#include <chrono>
#include <ostream>
#include <string>

namespace compilescope::cli {

enum class ProgressStyle {
    bar, ///< one line redrawn in place (k/N, percent, ETA, current cell); problems print above it
    lines, ///< one line per finished measurement (not per cancelled one) and per log message, for pipes and logs
    quiet, ///< nothing
};

/// The style for a stream: quiet when asked, a bar when the file descriptor is a terminal, lines otherwise.
ProgressStyle progress_style_for(int file_descriptor, bool quiet);

/// Width of the terminal on `file_descriptor`, or 80 when it cannot be asked.
int terminal_columns(int file_descriptor);

class ProgressReporter {
public:
    ProgressReporter(std::ostream& out, ProgressStyle style, const SweepConfig& config, int columns = 80);

    void on_progress(const SweepProgress& progress);
    void on_measurement(const Measurement& measurement);
    void on_log(const std::string& line);
    /// Removes the bar so that later output starts on a clean line.
    void finish();

private:
    void print_above_bar(const std::string& line);
    void draw_bar();
    std::string measurement_line(const Measurement& measurement) const;

    std::ostream& m_out;
    ProgressStyle m_style;
    int m_columns;
    /// What finished so far, so that a line can show the speedup over the eager measurement before it.
    RunResult m_finished;
    SweepProgress m_last;
    bool m_bar_visible = false;
    std::chrono::steady_clock::time_point m_last_draw;
};

} // namespace compilescope::cli
