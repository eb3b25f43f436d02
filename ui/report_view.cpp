#include "report_view.h"

#include "run_export.h"
#include "run_store.h"

#include <QMetaObject>
#include <QPointer>
#include <QScrollBar>
#include <QTextBrowser>
#include <QTextDocument>
#include <QThreadPool>
#include <QVBoxLayout>

#include <algorithm>
#include <mutex>
#include <optional>

namespace compilescope {

namespace {

// Rendering the whole report re-lays out the document; while a sweep runs once every half second is plenty.
constexpr int refresh_delay_ms = 500;

// Qt lays a table out again as each of its rows is imported: a table of thousands of rows (a run of thousands of
// cells) took minutes of the GUI thread. The tab shows this many rows of each table; the export has them all.
constexpr int max_shown_table_rows = 200;

/// `markdown` with each table cut to its header and first max_shown_table_rows rows, and a line saying how many
/// more the export holds.
QString withShortTables(const QString& markdown)
{
    const QStringList lines = markdown.split(QLatin1Char('\n'));
    QStringList shown;
    shown.reserve(std::min<qsizetype>(lines.size(), 4096));
    int table_line = 0; // lines of the current table so far: header, separator, rows
    int hidden = 0;
    auto endTable = [&] {
        if (hidden > 0) {
            shown << QString()
                  << QObject::tr("*… %n more rows: File ▸ Export Markdown writes the whole table.*", nullptr, hidden);
        }
        table_line = 0;
        hidden = 0;
    };
    for (const QString& line : lines) {
        if (!line.startsWith(QLatin1Char('|'))) {
            if (table_line > 0)
                endTable();
            shown << line;
            continue;
        }
        if (table_line++ < 2 + max_shown_table_rows)
            shown << line;
        else
            ++hidden;
    }
    endTable();
    return shown.join(QLatin1Char('\n'));
}

} // namespace

struct ReportView::Receiver {
    std::mutex mutex;
    ReportView* view = nullptr; // null once the view is gone
};

ReportView::ReportView(const RunStore& store, QWidget* parent)
    : QWidget(parent)
    , m_store(store)
    , m_browser(new QTextBrowser(this))
    , m_receiver(std::make_shared<Receiver>())
{
    m_receiver->view = this;
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
    connect(&m_refresh_timer, &QTimer::timeout, this, &ReportView::refreshInBackground);
    connect(&store, &RunStore::runReset, this, &ReportView::scheduleRefresh);
    connect(&store, &RunStore::measurementAppended, this, &ReportView::scheduleRefresh);
    connect(&store, &RunStore::measurementReplaced, this, &ReportView::scheduleRefresh);
    connect(&store, &RunStore::runFinished, this, &ReportView::scheduleRefresh);
    connect(&store, &RunStore::baselineChanged, this, &ReportView::scheduleRefresh);
    m_stale = true;
}

ReportView::~ReportView()
{
    const std::lock_guard<std::mutex> lock(m_receiver->mutex);
    m_receiver->view = nullptr;
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
        refreshInBackground();
}

void ReportView::refreshNow()
{
    m_refresh_timer.stop();
    m_stale = false;
    ++m_generation; // a background report still on its way is older than this one
    const RunResult& run = m_store.run();
    display(run.measurements.empty()
            ? QString()
            : QString::fromStdString(reportMarkdown(run, m_store.baseline(), m_store.baselinePath())));
}

void ReportView::refreshInBackground()
{
    m_refresh_timer.stop();
    m_stale = false;
    const uint64_t generation = ++m_generation;
    if (m_store.run().measurements.empty())
        return display({});
    // The task works on copies: the store changes under it while a sweep runs.
    std::optional<RunResult> comparison;
    if (const RunResult* baseline = m_store.baseline())
        comparison = *baseline;
    ++m_pending;
    QThreadPool::globalInstance()->start([receiver = m_receiver, generation, run = m_store.run(),
                                             comparison = std::move(comparison), path = m_store.baselinePath()] {
        const QString markdown = QString::fromStdString(reportMarkdown(run, comparison ? &*comparison : nullptr, path));
        const std::lock_guard<std::mutex> lock(receiver->mutex);
        if (ReportView* view = receiver->view) {
            // Queued: runs on the GUI thread, and Qt drops it should the view be deleted before it is delivered.
            QMetaObject::invokeMethod(
                view,
                [view, generation, markdown] {
                    --view->m_pending;
                    if (generation == view->m_generation)
                        view->display(markdown);
                },
                Qt::QueuedConnection);
        }
    });
}

void ReportView::display(const QString& markdown)
{
    m_markdown = markdown;
    if (m_markdown.isEmpty()) {
        m_browser->setMarkdown(tr("*The report appears here as measurements arrive.*"));
        return;
    }
    // Imported into a document no view shows yet: one shown is laid out again after every piece the importer adds,
    // which for a table costs the table so far each time (quadratic). Laid out once when it is handed over.
    auto* document = new QTextDocument(this);
    const QTextDocument* previous = m_browser->document();
    document->setDefaultFont(previous->defaultFont());
    document->setDefaultTextOption(previous->defaultTextOption()); // the word wrap mode lives here
    document->setDefaultStyleSheet(previous->defaultStyleSheet());
    document->setDocumentMargin(previous->documentMargin());
    document->setMarkdown(withShortTables(m_markdown));
    const int scroll = m_browser->verticalScrollBar()->value();
    m_browser->setDocument(document);
    delete m_document; // the browser's own first document is deleted by setDocument
    m_document = document;
    m_browser->verticalScrollBar()->setValue(scroll);
}

} // namespace compilescope
