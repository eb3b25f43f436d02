// Writing a run: Markdown (optionally with chart PNGs beside it, linked from it), JSON and CSV through the core's
// report functions; every file is written atomically and every failure is returned, never swallowed.
#pragma once

#include "chart_export.h"
#include "compilescope/results.h"

#include <QByteArray>
#include <QString>

#include <string>

namespace compilescope {

/// Writes `content` to `path` through QSaveFile; returns an empty string or the error, naming the path.
QString writeFileAtomically(const QString& path, const QByteArray& content);

/// Renders the latency, speedup and roofline charts of every workload and phase of `run` (and the heatmap of every
/// attention phase, one per compiled variant) as PNGs in `directory`, named `<prefix><chart>-<workload>-<phase>.png`
/// (the heatmap's with `-<variant>` before `.png`; report_chart_images.h). Returns an empty
/// string or the first error; `markdown_links` receives a Markdown section linking the images. Blocks the thread
/// for as long as it draws and writes them all (a second or more for dozens): File ▸ Export Markdown uses
/// MarkdownExport (markdown_export.h) instead.
QString writeChartImages(const RunResult& run, const RunResult* comparison, const QString& directory,
    const QString& prefix, const ChartImageSize& size, QString* markdown_links);

/// The report of `run`: full_markdown(run), then, when a comparison run is loaded (File ▸ Compare), the section
/// comparing the two that names `comparison_path`.
std::string reportMarkdown(const RunResult& run, const RunResult* comparison, const QString& comparison_path);

/// reportMarkdown() followed by `charts_section` (writeChartImages()'s links, or nothing) as a file; returns an empty
/// string or the error, naming the file. Reads only its arguments: an export may run it on a worker thread.
QString writeReportMarkdown(const RunResult& run, const RunResult* comparison, const QString& comparison_path,
    const QString& path, const QString& charts_section);

/// reportMarkdown() as a file; with `with_charts`, the chart PNGs (on a light background with
/// size.light_background) are written beside it and linked from a Charts section.
QString exportMarkdown(const RunResult& run, const RunResult* comparison, const QString& path, bool with_charts,
    const ChartImageSize& size, const QString& comparison_path = {});
QString exportJson(const RunResult& run, const QString& path);
QString exportCsv(const RunResult& run, const QString& path);

/// The scripted mode's export: report.md (with chart PNGs), run.json and results.csv in `directory`
/// (created if missing).
QString exportAll(
    const RunResult& run, const RunResult* comparison, const QString& directory, const QString& comparison_path = {});

} // namespace compilescope
