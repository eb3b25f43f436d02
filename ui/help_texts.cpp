#include "help_texts.h"

#include "compilescope/variant_names.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QUrl>

namespace compilescope {

namespace {

QString link(const QString& path)
{
    return QStringLiteral("<a href=\"%1\">%2</a>")
        .arg(QUrl::fromLocalFile(path).toString(), QDir::toNativeSeparators(path).toHtmlEscaped());
}

} // namespace

QString documentationRoot()
{
    // A build tree sits inside the source tree (build/bin/compilescope); look a few levels up.
    QDir directory(QCoreApplication::applicationDirPath());
    for (int level = 0; level < 4; ++level) {
        if (QFileInfo::exists(directory.filePath(QStringLiteral("README.md")))
            && QFileInfo(directory.filePath(QStringLiteral("docs"))).isDir())
            return directory.absolutePath();
        if (!directory.cdUp())
            break;
    }
    return {};
}

QString aboutText(const Environment* environment)
{
    const QString version = environment && !environment->compilescope_version.empty()
        ? QString::fromStdString(environment->compilescope_version)
            + (environment->git_revision.empty()
                    ? QString()
                    : QStringLiteral(" (%1)").arg(QString::fromStdString(environment->git_revision)))
        : QCoreApplication::applicationVersion();
    const QString libtorch = environment ? QString::fromStdString(environment->libtorch_version)
                                         : QObject::tr("not known yet (LibTorch is still being asked)");
    const QString root = documentationRoot();
    const QString documentation = root.isEmpty()
        ? QObject::tr("README.md and docs/ in the source repository (not found beside this executable)")
        : QObject::tr("%1 and the %2 folder")
              .arg(link(QDir(root).filePath(QStringLiteral("README.md"))),
                  link(QDir(root).filePath(QStringLiteral("docs"))));
    return QObject::tr("<h3>CompileScope %1</h3>"
                       "<p>How much faster is the compiled version of a PyTorch workload than eager, at this size, "
                       "on this machine?</p>"
                       "<p>LibTorch %2<br>Qt %3 (built with %4)</p>"
                       "<p>Documentation: %5</p>"
                       "<p>CompileScope is free software under the GNU General Public License, version 3 or "
                       "later (GPL-3.0-or-later; LICENSE in the source tree). It uses Qt (LGPL-3.0), QCustomPlot "
                       "(GPL-3.0) and LibTorch (BSD-3-Clause).</p>")
        .arg(version.toHtmlEscaped(), libtorch.toHtmlEscaped(), QString::fromLatin1(qVersion()),
            QStringLiteral(QT_VERSION_STR), documentation);
}

QString variantGuideText(const std::vector<VariantInfo>& variants)
{
    QString rows;
    for (const VariantInfo& variant : variants) {
        QString row = QStringLiteral("<p><b>%1</b>: %2")
                          .arg(QString::fromStdString(variant_label(variant.name)).toHtmlEscaped(),
                              QString::fromStdString(variant.description).toHtmlEscaped());
        if (!variant.reason.empty())
            row += QStringLiteral("<br><i>%1 %2</i>")
                       .arg(variant.available ? QObject::tr("Note:") : QObject::tr("Not available here:"),
                           QString::fromStdString(variant.reason).toHtmlEscaped());
        rows += row + QStringLiteral("</p>");
    }
    return QObject::tr("<p>Every variant computes the same math; before its timings count, its outputs and "
                       "gradients are checked against C++ <b>eager</b>. Speedups are over eager, or over py-eager "
                       "(\"Speedup over\").</p>%1")
        .arg(rows);
}

QString chartGuideText()
{
    return QObject::tr(
        "<p><b>Latency</b>: time per iteration against seq_len, one curve per d_model and variant (colour: variant, "
        "line style: d_model), both axes logarithmic; bars show the spread of the timed iterations. Lower is "
        "faster.</p>"
        "<p><b>Speedup</b>: eager's time / the variant's time (py-eager's with \"Speedup over\"); above the dashed "
        "1.0x line the variant is faster. Bars are "
        "95% confidence intervals: a bar crossing 1.0x is not a measured difference.</p>"
        "<p><b>Heatmap</b>: one variant's speedup on the whole d_model × seq_len grid. Cells whose interval includes "
        "1.0x are drawn neutral and labelled \"~\".</p>"
        "<p><b>Roofline</b>: achieved FLOP/s against arithmetic intensity under the device's memory and compute "
        "roofs; an arrow goes from eager to each other variant of the same cell.</p>"
        "<p>A <b>dashed ring</b> (Latency, Speedup) or a <b>dashed frame</b> (Heatmap) marks a measurement taken "
        "<b>under load</b>: other processes used the CPUs while it was timed, so its time is not the workload's "
        "alone. Run ▸ Re-run marked cells measures those again, with every variant of their cell and phase.</p>"
        "<p>Above each chart, pick the workload and phase. A comparison run (File ▸ Compare with another run) is "
        "overlaid dashed. "
        "Hover a point for its numbers; drag to pan, wheel to zoom, double-click or Ctrl+0 to fit.</p>");
}

} // namespace compilescope
