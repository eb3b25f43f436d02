// Persistent settings. Every key is a named constant with its default in one table (settings.cpp).
#pragma once

#include "compilescope/config.h"

#include <QSettings>
#include <QStringList>
#include <QVariant>

#include <optional>

namespace compilescope {

enum class SettingKey {
    window_geometry,
    window_state,
    splitter_state,
    window_state_version,
    recent_files,
    last_configuration,
    last_directory,
    export_charts_with_markdown,
    chart_export_width,
    chart_export_height,
    chart_export_scale,
    chart_export_light_background,
};

class Settings {
public:
    /// Bumped whenever the window layout changes, so an old saved state is not restored into a new layout.
    static constexpr int window_state_version = 1;
    static constexpr int max_recent_files = 8;

    QVariant value(SettingKey key) const;
    void setValue(SettingKey key, const QVariant& value);
    /// The key's name in the settings file.
    static QString name(SettingKey key);

    /// The directory of the last file opened or written; empty when none was, or when the stored one is on a virtual
    /// filesystem (an older version stored /proc after a refused export, and Qt's file dialog hung reading it).
    QString lastDirectory() const;
    /// Remembers the directory of a file that was opened or written; a virtual filesystem's is not remembered.
    void setLastDirectory(const QString& directory);
    /// Whether `path` is on /proc, /sys or /dev (or a filesystem of their kinds mounted elsewhere), where reading a
    /// file can block forever (/proc/kmsg).
    static bool isVirtualFilesystem(const QString& path);

    QStringList recentFiles() const;
    void addRecentFile(const QString& path);
    void removeRecentFile(const QString& path);

    /// The configuration of the last run or of the panel at exit; nullopt if none or unreadable.
    std::optional<SweepConfig> lastConfiguration() const;
    void setLastConfiguration(const SweepConfig& config);

private:
    QSettings m_settings;
};

} // namespace compilescope
