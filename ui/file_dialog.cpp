#include "file_dialog.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>

namespace compilescope {

namespace {

QString askFile(
    QWidget* parent, const QString& title, const QString& start, const QString& filter, QFileDialog::AcceptMode mode)
{
    // The provider must outlive every dialog that uses it; it holds nothing but the options below.
    static NameOnlyIconProvider icons;
    QFileDialog dialog(parent, title);
    // Provider and options before the start directory: the dialog's model lists (and asks for icons) at once.
    dialog.setIconProvider(&icons);
    // The platform's dialog (GTK, portal) would do its own sniffing, out of our hands.
    dialog.setOptions(
        QFileDialog::DontUseNativeDialog | QFileDialog::DontResolveSymlinks | QFileDialog::DontUseCustomDirectoryIcons);
    dialog.setNameFilter(filter);
    dialog.setAcceptMode(mode);
    dialog.setFileMode(mode == QFileDialog::AcceptOpen ? QFileDialog::ExistingFile : QFileDialog::AnyFile);
    if (QFileInfo(start).isDir())
        dialog.setDirectory(start);
    else
        dialog.selectFile(start);
    if (dialog.exec() != QDialog::Accepted || dialog.selectedFiles().isEmpty())
        return {};
    return dialog.selectedFiles().constFirst();
}

} // namespace

QIcon NameOnlyIconProvider::icon(const QFileInfo& info) const
{
    if (info.isRoot())
        return icon(Drive);
    if (info.isDir())
        return icon(Folder);
    return icon(File);
}

QString NameOnlyIconProvider::type(const QFileInfo& info) const
{
    if (info.isDir())
        return QObject::tr("Folder");
    if (info.suffix().isEmpty())
        return QObject::tr("File");
    return QObject::tr("%1 file").arg(info.suffix().toUpper());
}

QString askOpenFile(QWidget* parent, const QString& title, const QString& directory, const QString& filter)
{
    const QString start = !directory.isEmpty() && QDir(directory).exists() ? directory : QDir::homePath();
    return askFile(parent, title, start, filter, QFileDialog::AcceptOpen);
}

QString askSaveFile(QWidget* parent, const QString& title, const QString& suggested_path, const QString& filter)
{
    return askFile(parent, title, suggested_path, filter, QFileDialog::AcceptSave);
}

} // namespace compilescope
