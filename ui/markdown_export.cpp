#include "markdown_export.h"

#include "report_chart_images.h"
#include "run_export.h"

#include <QDir>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QPromise>
#include <QTimer>

#include <algorithm>
#include <functional>
#include <memory>
#include <utility>

namespace compilescope {

namespace {

/// Images drawn but not yet written at most: the GUI thread draws ahead of the writers by this much, and no more
/// (an image of 1200 x 700 at scale 2 holds 13 MB).
constexpr int max_images_in_flight = 4;

/// `write` run on a thread of `pool`; its error (or "") is the future's result. (QtCore's pool and promise: Qt
/// Concurrent would be one more module to install and to stage for the GPU server's GUI build.)
QFuture<QString> runOn(QThreadPool& pool, std::function<QString()> write)
{
    auto promise = std::make_shared<QPromise<QString>>(); // shared: QThreadPool takes a copyable function
    QFuture<QString> future = promise->future();
    promise->start();
    pool.start([promise, write = std::move(write)] {
        promise->addResult(write());
        promise->finish();
    });
    return future;
}

} // namespace

MarkdownExport::MarkdownExport(RunResult run, const RunResult* comparison, QString comparison_path, const QString& path,
    bool with_charts, const ChartImageSize& size, QObject* parent)
    : QObject(parent)
    , m_run(std::move(run))
    , m_comparison(comparison ? std::optional<RunResult>(*comparison) : std::nullopt)
    , m_comparison_path(std::move(comparison_path))
    , m_path(path)
{
    if (with_charts) {
        const QFileInfo info(path);
        m_images
            = std::make_unique<ReportChartImages>(m_run, comparison, info.completeBaseName() + QLatin1Char('-'), size);
    }
    m_pool.setMaxThreadCount(std::min(max_images_in_flight, std::max(1, QThread::idealThreadCount())));
}

MarkdownExport::~MarkdownExport()
{
    m_pool.waitForDone();
}

int MarkdownExport::imageCount() const
{
    return m_images ? m_images->count() : 0;
}

void MarkdownExport::start()
{
    if (imageCount() == 0)
        return writeReport();
    scheduleRender();
}

void MarkdownExport::cancel()
{
    if (m_finished || m_writing_report || m_cancelled)
        return;
    m_cancelled = true;
    if (m_in_flight == 0)
        finish({}, true);
}

void MarkdownExport::scheduleRender()
{
    if (m_render_scheduled)
        return;
    m_render_scheduled = true;
    // A zero timer, not a loop: input and paint events queued meanwhile are handled before the next image.
    QTimer::singleShot(0, this, &MarkdownExport::renderNext);
}

void MarkdownExport::renderNext()
{
    m_render_scheduled = false;
    if (m_cancelled || !m_error.isEmpty() || m_next >= imageCount() || m_in_flight >= max_images_in_flight)
        return;
    const int index = m_next++;
    const QImage image = m_images->render(index);
    const QString file = QDir(QFileInfo(m_path).absolutePath()).filePath(m_images->fileName(index));
    auto* watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher] {
        watcher->deleteLater();
        onImageWritten(watcher->result());
    });
    ++m_in_flight;
    watcher->setFuture(runOn(m_pool, [image, file] { return writePngAtomically(image, file); }));
    if (m_next < imageCount())
        scheduleRender();
}

void MarkdownExport::onImageWritten(const QString& error)
{
    --m_in_flight;
    if (error.isEmpty())
        ++m_written;
    else if (m_error.isEmpty())
        m_error = error;
    Q_EMIT progress(m_written, imageCount());
    if (!m_error.isEmpty() || m_cancelled) {
        // The images in flight complete first: their files are whole or not there when finished() says so.
        if (m_in_flight == 0)
            finish(m_error, m_error.isEmpty());
        return;
    }
    if (m_written == imageCount())
        return writeReport();
    scheduleRender();
}

void MarkdownExport::writeReport()
{
    m_writing_report = true;
    const QString charts = m_images ? m_images->markdownLinks() : QString();
    auto* watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher] {
        watcher->deleteLater();
        finish(watcher->result(), false);
    });
    // The report of a large run takes a while to format; it reads only this object's copies of the runs.
    watcher->setFuture(runOn(m_pool, [this, charts] {
        return writeReportMarkdown(m_run, m_comparison ? &*m_comparison : nullptr, m_comparison_path, m_path, charts);
    }));
}

void MarkdownExport::finish(const QString& error, bool cancelled)
{
    if (m_finished)
        return;
    m_finished = true;
    Q_EMIT finished(error, cancelled);
}

} // namespace compilescope
