#include "settings.h"

#include "compilescope/reports.h"

#include <QDir>
#include <QFileInfo>
#include <QMap>
#include <QStorageInfo>

#include <exception>

namespace compilescope {

namespace {

struct SettingSpec {
    QString name;
    QVariant default_value;
};

const QMap<SettingKey, SettingSpec>& settingTable()
{
    static const QMap<SettingKey, SettingSpec> table {
        { SettingKey::window_geometry, { QStringLiteral("window/geometry"), {} } },
        { SettingKey::window_state, { QStringLiteral("window/state"), {} } },
        { SettingKey::splitter_state, { QStringLiteral("window/splitter"), {} } },
        { SettingKey::window_state_version, { QStringLiteral("window/stateVersion"), 0 } },
        { SettingKey::recent_files, { QStringLiteral("files/recent"), QStringList {} } },
        { SettingKey::last_configuration, { QStringLiteral("sweep/lastConfiguration"), QString {} } },
        { SettingKey::last_directory, { QStringLiteral("files/lastDirectory"), QString {} } },
        { SettingKey::export_charts_with_markdown, { QStringLiteral("export/chartsWithMarkdown"), true } },
        { SettingKey::chart_export_width, { QStringLiteral("export/chartWidth"), 1200 } },
        { SettingKey::chart_export_height, { QStringLiteral("export/chartHeight"), 700 } },
        { SettingKey::chart_export_scale, { QStringLiteral("export/chartScale"), 1.0 } },
        { SettingKey::chart_export_light_background, { QStringLiteral("export/chartLightBackground"), false } },
    };
    return table;
}

} // namespace

QString Settings::name(SettingKey key)
{
    return settingTable().value(key).name;
}

QVariant Settings::value(SettingKey key) const
{
    const SettingSpec spec = settingTable().value(key);
    return m_settings.value(spec.name, spec.default_value);
}

void Settings::setValue(SettingKey key, const QVariant& value)
{
    m_settings.setValue(name(key), value);
}

QString Settings::lastDirectory() const
{
    const QString directory = value(SettingKey::last_directory).toString();
    return directory.isEmpty() || isVirtualFilesystem(directory) ? QString() : directory;
}

void Settings::setLastDirectory(const QString& directory)
{
    if (!isVirtualFilesystem(directory))
        setValue(SettingKey::last_directory, directory);
}

bool Settings::isVirtualFilesystem(const QString& path)
{
    // The roots are checked by name too: the path may not exist (a refused export), and then it has no filesystem.
    const QString absolute = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    const QString canonical = QFileInfo(absolute).canonicalFilePath();
    for (const QString& candidate : { absolute, canonical }) {
        for (const QString& root : { QStringLiteral("/proc"), QStringLiteral("/sys"), QStringLiteral("/dev") }) {
            if (candidate == root || candidate.startsWith(root + QLatin1Char('/')))
                return true;
        }
    }
    if (canonical.isEmpty())
        return false;
    static const QList<QByteArray> virtual_types { "proc", "sysfs", "devtmpfs", "devpts", "debugfs", "tracefs",
        "securityfs", "cgroup", "cgroup2", "configfs", "pstore", "bpf" };
    return virtual_types.contains(QStorageInfo(canonical).fileSystemType());
}

QStringList Settings::recentFiles() const
{
    return value(SettingKey::recent_files).toStringList();
}

void Settings::addRecentFile(const QString& path)
{
    QStringList files = recentFiles();
    files.removeAll(path);
    files.prepend(path);
    while (files.size() > max_recent_files)
        files.removeLast();
    setValue(SettingKey::recent_files, files);
}

void Settings::removeRecentFile(const QString& path)
{
    QStringList files = recentFiles();
    files.removeAll(path);
    setValue(SettingKey::recent_files, files);
}

std::optional<SweepConfig> Settings::lastConfiguration() const
{
    // Stored as a run without measurements: the core's versioned run schema already covers every field.
    const QString text = value(SettingKey::last_configuration).toString();
    if (text.isEmpty())
        return std::nullopt;
    try {
        SweepConfig config = parse_run_json(text.toStdString()).config;
        // min_iters has no widget, so a saved one is the default of its day: 5 until it became the fewest samples
        // an interval needs (docs/statistics.md). Today's default replaces it (--quick's 3 stays).
        constexpr int default_min_iters_before_2026_12_07 = 5;
        if (config.measure.min_iters == default_min_iters_before_2026_12_07)
            config.measure.min_iters = MeasureConfig {}.min_iters;
        return config;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

void Settings::setLastConfiguration(const SweepConfig& config)
{
    RunResult holder;
    holder.config = config;
    setValue(SettingKey::last_configuration, QString::fromStdString(to_json(holder)));
}

} // namespace compilescope
