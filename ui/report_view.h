// The Report tab: the Markdown that Export writes (reportMarkdown: with the comparison run's section when one is
// loaded), rendered.
#pragma once

#include <QString>
#include <QTimer>
#include <QWidget>

class QTextBrowser;

namespace compilescope {

class RunStore;

class ReportView : public QWidget {
    Q_OBJECT
public:
    explicit ReportView(const RunStore& store, QWidget* parent = nullptr);

    /// The Markdown shown (empty while the run has no measurements).
    const QString& markdown() const { return m_markdown; }
    /// Renders now; changes are otherwise rendered at most every half second, and only while visible.
    void refreshNow();

protected:
    void showEvent(QShowEvent* event) override;

private:
    void scheduleRefresh();

    const RunStore& m_store;
    QTextBrowser* m_browser;
    QTimer m_refresh_timer;
    QString m_markdown;
    bool m_stale = false;
};

} // namespace compilescope
