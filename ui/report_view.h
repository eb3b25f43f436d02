// The Report tab: the Markdown that Export writes (reportMarkdown: with the comparison run's section when one is
// loaded), rendered. The Markdown is written off the GUI thread: for a run of thousands of cells the core's report
// takes seconds, and the window must not freeze while it does. The tab shows each table's first 200 rows (Qt's
// layout of a longer one froze the window for minutes); Export Markdown writes them all.
#pragma once

#include <QString>
#include <QTimer>
#include <QWidget>

#include <cstdint>
#include <memory>

class QTextBrowser;
class QTextDocument;

namespace compilescope {

class RunStore;

class ReportView : public QWidget {
    Q_OBJECT
public:
    explicit ReportView(const RunStore& store, QWidget* parent = nullptr);
    /// A report still being written is dropped when it ends.
    ~ReportView() override;

    /// The Markdown shown (empty while the run has no measurements).
    const QString& markdown() const { return m_markdown; }
    /// Renders now, on the calling thread (tests, and exports that need the text at once).
    void refreshNow();
    /// Whether a report is being written in the background.
    bool isRendering() const { return m_pending != 0; }

protected:
    void showEvent(QShowEvent* event) override;

private:
    /// Whether a task still needs to deliver to this view: shared with the background tasks, cleared on
    /// destruction, so that a task that ends after the view never touches it.
    struct Receiver;

    void scheduleRefresh();
    /// Starts writing the report of the store's current run in the background; the newest request wins.
    void refreshInBackground();
    void display(const QString& markdown);

    const RunStore& m_store;
    QTextBrowser* m_browser;
    QTimer m_refresh_timer;
    QString m_markdown;
    bool m_stale = false;
    uint64_t m_generation = 0; ///< of the newest request; older results are dropped
    int m_pending = 0; ///< background reports not delivered yet
    std::shared_ptr<Receiver> m_receiver;
    QTextDocument* m_document = nullptr; ///< the report on screen (null until the first one)
};

} // namespace compilescope
