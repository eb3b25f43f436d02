#include "report_view.h"

#include "run_export.h"
#include "run_store.h"

#include <QScrollBar>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace compilescope {

namespace {

// Rendering the whole report re-lays out the document; while a sweep runs once every half second is plenty.
constexpr int refresh_delay_ms = 500;

} // namespace

ReportView::ReportView(const RunStore& store, QWidget* parent)
    : QWidget(parent)
    , m_store(store)
    , m_browser(new QTextBrowser(this))
{
    m_browser->setObjectName(QStringLiteral("reportBrowser"));
    m_browser->setOpenExternalLinks(true);
    // Qt's default also breaks inside a word when a table column is narrow ("transformer _lm"); a table wider
    // than the tab scrolls sideways instead.
    m_browser->setWordWrapMode(QTextOption::WordWrap);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_browser);

    m_refresh_timer.setSingleShot(true);
    m_refresh_timer.setInterval(refresh_delay_ms);
    connect(&m_refresh_timer, &QTimer::timeout, this, &ReportView::refreshNow);
    connect(&store, &RunStore::runReset, this, &ReportView::scheduleRefresh);
    connect(&store, &RunStore::measurementAppended, this, &ReportView::scheduleRefresh);
    connect(&store, &RunStore::runFinished, this, &ReportView::scheduleRefresh);
    connect(&store, &RunStore::baselineChanged, this, &ReportView::scheduleRefresh);
    m_stale = true;
}

void ReportView::scheduleRefresh()
{
    // Rendering the report takes tens of milliseconds of the GUI thread; do it only while the tab is on screen.
    if (!isVisible()) {
        m_stale = true;
        return;
    }
    if (!m_refresh_timer.isActive())
        m_refresh_timer.start();
}

void ReportView::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_stale)
        refreshNow();
}

void ReportView::refreshNow()
{
    m_refresh_timer.stop();
    m_stale = false;
    const RunResult& run = m_store.run();
    if (run.measurements.empty()) {
        m_markdown.clear();
        m_browser->setMarkdown(tr("*The report appears here as measurements arrive.*"));
        return;
    }
    m_markdown = QString::fromStdString(reportMarkdown(run, m_store.baseline(), m_store.baselinePath()));
    const int scroll = m_browser->verticalScrollBar()->value();
    m_browser->setMarkdown(m_markdown);
    m_browser->verticalScrollBar()->setValue(scroll);
}

} // namespace compilescope
