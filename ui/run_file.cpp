#include "run_file.h"

#include "compilescope/reports.h"

#include <QFile>
#include <QFileInfo>
#include <QObject>

#include <exception>

namespace compilescope {

LoadedRun loadRunFile(const QString& path)
{
    const QString name = QFileInfo(path).fileName();
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return { std::nullopt, QObject::tr("Could not open %1: %2").arg(path, file.errorString()) };
    const QByteArray text = file.readAll();
    try {
        return { parse_run_json(text.toStdString()), {} };
    } catch (const ReportFormatError& error) {
        return { std::nullopt,
            QObject::tr("%1 is not a CompileScope run this version can read:\n%2")
                .arg(name, QString::fromStdString(error.what())) };
    } catch (const std::exception& error) {
        return { std::nullopt, QObject::tr("Could not read %1:\n%2").arg(name, QString::fromStdString(error.what())) };
    }
}

} // namespace compilescope
