// File ▸ Export Markdown without freezing the window: a report with dozens of chart images took the event loop for a
// second or more. Each chart is drawn on the GUI thread in a step of its own (QCustomPlot draws there only), the event
// loop turning between two steps; its PNG is encoded and written atomically on a worker thread. The report, which
// links the images, is written last, so that it never links an image that is not there.
#pragma once

#include "chart_export.h"
#include "compilescope/results.h"

#include <QObject>
#include <QString>
#include <QThreadPool>

#include <memory>
#include <optional>

namespace compilescope {

class ReportChartImages;

class MarkdownExport : public QObject {
    Q_OBJECT
public:
    /// The report of `run` (and of its comparison with `comparison`, loaded from `comparison_path`) to `path`; with
    /// `with_charts`, the chart images at `size` beside it, named as writeChartImages() names them.
    MarkdownExport(RunResult run, const RunResult* comparison, QString comparison_path, const QString& path,
        bool with_charts, const ChartImageSize& size, QObject* parent = nullptr);
    /// Waits for the files being written: a file is either complete or not there.
    ~MarkdownExport() override;

    /// Starts the export; finished() follows, from the event loop.
    void start();
    /// Stops before the next image: the images being written are completed, the report is not written. Ignored once
    /// the report is being written.
    void cancel();

    const QString& path() const { return m_path; }
    /// How many chart images the export writes (0 without charts).
    int imageCount() const;
    /// How many of them are on disk.
    int writtenImageCount() const { return m_written; }

Q_SIGNALS:
    /// `written` of `total` chart images are on disk.
    void progress(int written, int total);
    /// Once: `error` is empty when the report and every image were written, else the first error, naming the
    /// file; `cancelled` when cancel() stopped it (no report written, the images written so far stay).
    void finished(const QString& error, bool cancelled);

private:
    void scheduleRender();
    /// Draws the next image and hands it to a worker to encode and write.
    void renderNext();
    void onImageWritten(const QString& error);
    void writeReport();
    void finish(const QString& error, bool cancelled);

    RunResult m_run;
    std::optional<RunResult> m_comparison;
    QString m_comparison_path;
    QString m_path;
    std::unique_ptr<ReportChartImages> m_images;
    int m_next = 0; ///< the next image to draw
    int m_in_flight = 0; ///< images drawn whose files are being written
    int m_written = 0;
    QString m_error;
    bool m_render_scheduled = false;
    bool m_cancelled = false;
    bool m_writing_report = false;
    bool m_finished = false;
    /// Declared last, destroyed first: its threads read the members above.
    QThreadPool m_pool;
};

} // namespace compilescope
