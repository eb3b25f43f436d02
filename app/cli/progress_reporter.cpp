#include "progress_reporter.h"

#include "compilescope/text_format.h"

#include "measurement_text.h"

#include <algorithm>
#include <cmath>
#include <sys/ioctl.h>
#include <unistd.h>

namespace compilescope::cli {

namespace {

// Redrawing more often than this only costs terminal bandwidth; the last state is always drawn.
constexpr auto redraw_interval = std::chrono::milliseconds(100);
constexpr int bar_width = 20;
constexpr const char* clear_line = "\r\x1b[K";

/// Cuts `text` to `columns` characters (the bar and the cell descriptions are ASCII).
std::string fit(const std::string& text, int columns)
{
    return static_cast<int>(text.size()) <= columns ? text : text.substr(0, static_cast<size_t>(std::max(columns, 0)));
}

} // namespace

ProgressStyle progress_style_for(int file_descriptor, bool quiet)
{
    if (quiet)
        return ProgressStyle::quiet;
    return isatty(file_descriptor) ? ProgressStyle::bar : ProgressStyle::lines;
}

int terminal_columns(int file_descriptor)
{
    winsize size {};
    if (ioctl(file_descriptor, TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
        return size.ws_col;
    return 80;
}

ProgressReporter::ProgressReporter(std::ostream& out, ProgressStyle style, const SweepConfig& config, int columns)
    : m_out(out)
    , m_style(style)
    , m_columns(columns)
{
    m_finished.config = config;
}

void ProgressReporter::on_progress(const SweepProgress& progress)
{
    m_last = progress;
    if (m_style != ProgressStyle::bar)
        return;
    const auto now = std::chrono::steady_clock::now();
    if (m_bar_visible && now - m_last_draw < redraw_interval && progress.completed < progress.total)
        return;
    draw_bar();
}

void ProgressReporter::on_measurement(const Measurement& measurement)
{
    m_finished.measurements.push_back(measurement);
    // After a cancel the sweep reports every measurement it will not run; the closing summary counts them instead.
    if (measurement.status == MeasurementStatus::cancelled)
        return;
    if (m_style == ProgressStyle::lines)
        m_out << measurement_line(measurement) << std::endl;
    else if (m_style == ProgressStyle::bar && !measurement.ok())
        print_above_bar(measurement_line(measurement));
}

void ProgressReporter::on_log(const std::string& line)
{
    // Only the log of a pipe or file gets these: on a terminal, failed, skipped and unavailable measurements
    // already print above the bar, and the other messages (build times) are in every report.
    if (m_style == ProgressStyle::lines)
        m_out << "  " << line << std::endl;
}

void ProgressReporter::finish()
{
    if (m_bar_visible)
        m_out << clear_line << std::flush;
    m_bar_visible = false;
}

void ProgressReporter::print_above_bar(const std::string& line)
{
    m_out << clear_line << line << "\n";
    m_bar_visible = false;
    draw_bar();
}

void ProgressReporter::draw_bar()
{
    if (m_last.total <= 0)
        return;
    const double fraction = std::clamp(static_cast<double>(m_last.completed) / m_last.total, 0.0, 1.0);
    const int filled = static_cast<int>(std::lround(fraction * bar_width));
    std::string line = "[" + std::string(static_cast<size_t>(filled), '#')
        + std::string(static_cast<size_t>(bar_width - filled), '.') + "] " + std::to_string(m_last.completed) + "/"
        + std::to_string(m_last.total) + " " + std::to_string(static_cast<int>(std::floor(fraction * 100))) + "%"
        + "  ETA " + (m_last.eta_s < 0 ? std::string("?") : duration_text(m_last.eta_s)) + "  " + m_last.current;
    // One column short of the width, so that the terminal never wraps the line and the redraw stays in place.
    m_out << clear_line << fit(line, m_columns - 1) << std::flush;
    m_bar_visible = true;
    m_last_draw = std::chrono::steady_clock::now();
}

std::string ProgressReporter::measurement_line(const Measurement& m) const
{
    std::string line = "[" + std::to_string(m_finished.measurements.size()) + "/" + std::to_string(m_last.total) + "] "
        + measurement_label(m, BatchInLabel::shown) + ": ";
    if (m.ok()) {
        line += mean_std_text(m.stats) + " ms";
        if (m.variant != speedup_baseline(m_finished))
            line += ", " + speedup_or_dash(speedup_over_baseline(m_finished, m));
        line += ", " + describe_status(m, m_finished.config.measure);
    } else {
        line += to_string(m.status);
        if (!m.message.empty())
            line += ": " + m.message;
    }
    return line;
}

} // namespace compilescope::cli
