#include "run_file.h"

#include "compilescope/file_io.h"
#include "compilescope/reports.h"
#include "compilescope/run_validation.h"

#include <QFile>
#include <QFileInfo>
#include <QObject>

#include <exception>
#include <new>

namespace compilescope {

LoadedRun loadRunFile(const QString& path)
{
    // The core's loader, as for `compilescope-cli report`: it refuses FIFOs, devices and oversized files without
    // blocking or reading them, caps the JSON's nesting and checks the run's values.
    const QString name = QFileInfo(path).fileName();
    try {
        return { load_run_file(QFile::encodeName(path).toStdString()), {} };
    } catch (const FileError& error) {
        return { std::nullopt, QObject::tr("Could not open %1:\n%2").arg(name, QString::fromStdString(error.what())) };
    } catch (const RunFileError& error) {
        return { std::nullopt,
            QObject::tr("%1 is not a CompileScope run this version can read:\n%2")
                .arg(name, QString::fromStdString(error.what())) };
    } catch (const std::bad_alloc&) {
        return { std::nullopt, QObject::tr("Could not read %1: it does not fit in memory").arg(name) };
    } catch (const std::exception& error) {
        return { std::nullopt, QObject::tr("Could not read %1:\n%2").arg(name, QString::fromStdString(error.what())) };
    }
}

} // namespace compilescope
