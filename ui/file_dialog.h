// Open and save dialogs that never read a file's contents. A directory like /proc holds files whose reads block
// (/proc/kmsg); the platform's dialog, or Qt's with the default icon provider, sniffs each file's MIME type from its
// first bytes and froze there. These use Qt's own dialog with icons and types taken from names and stat() only.
#pragma once

#include <QFileIconProvider>
#include <QString>

class QWidget;

namespace compilescope {

/// Icons and type names from a file's name and kind (folder, file, link), never from its contents.
class NameOnlyIconProvider : public QFileIconProvider {
public:
    using QFileIconProvider::icon;
    QIcon icon(const QFileInfo& info) const override;
    QString type(const QFileInfo& info) const override;
};

/// An existing file chosen in `directory` (the user's home when empty or gone); empty if cancelled.
QString askOpenFile(QWidget* parent, const QString& title, const QString& directory, const QString& filter);
/// A path to write, suggested as `suggested_path`; the dialog asks before replacing a file. Empty if cancelled.
QString askSaveFile(QWidget* parent, const QString& title, const QString& suggested_path, const QString& filter);

} // namespace compilescope
