// Settings: recent files in order and bounded, the last configuration restored, keys named once.
#include <catch2/catch.hpp>

#include "settings.h"
#include "test_support.h"

#include <QTemporaryDir>

using namespace compilescope;

TEST_CASE("settings keep recent files and the last configuration", "[ui][settings]")
{
    Settings settings;
    for (int i = 0; i < Settings::max_recent_files + 3; ++i)
        settings.addRecentFile(QStringLiteral("/runs/%1.json").arg(i));
    settings.addRecentFile(QStringLiteral("/runs/2.json")); // again: moves to the front, no duplicate
    const QStringList recent = settings.recentFiles();
    CHECK(recent.size() == Settings::max_recent_files);
    CHECK(recent.front() == QStringLiteral("/runs/2.json"));
    CHECK(recent.count(QStringLiteral("/runs/2.json")) == 1);
    settings.removeRecentFile(QStringLiteral("/runs/2.json"));
    CHECK_FALSE(settings.recentFiles().contains(QStringLiteral("/runs/2.json")));

    SweepConfig config = test::tinySweep();
    config.dtype = Dtype::bf16;
    config.measure.min_time_s = 0.75;
    settings.setLastConfiguration(config);
    const auto restored = Settings().lastConfiguration();
    REQUIRE(restored.has_value());
    CHECK(restored->attention.seq_lens == config.attention.seq_lens);
    CHECK(restored->variants == config.variants);
    CHECK(restored->dtype == Dtype::bf16);
    CHECK(restored->measure.min_time_s == Approx(0.75));

    // A configuration saved when the adaptive minimum was 5 (it has no widget): today's, the fewest samples an
    // interval needs. --quick's 3 stays.
    config.measure.min_iters = 5;
    settings.setLastConfiguration(config);
    CHECK(Settings().lastConfiguration()->measure.min_iters == min_samples_for_interval);
    config.measure.min_iters = 3;
    settings.setLastConfiguration(config);
    CHECK(Settings().lastConfiguration()->measure.min_iters == 3);

    settings.setValue(SettingKey::last_configuration, QStringLiteral("{ not json"));
    CHECK_FALSE(settings.lastConfiguration().has_value());

    CHECK(Settings::name(SettingKey::window_geometry) == QStringLiteral("window/geometry"));
    CHECK(settings.value(SettingKey::chart_export_width).toInt() == 1200); // the table's default
}

TEST_CASE("the last directory is never a virtual filesystem, stored or loaded", "[ui][settings]")
{
    CHECK(Settings::isVirtualFilesystem(QStringLiteral("/proc")));
    CHECK(Settings::isVirtualFilesystem(QStringLiteral("/proc/self/fd")));
    CHECK(Settings::isVirtualFilesystem(QStringLiteral("/sys/kernel")));
    CHECK(Settings::isVirtualFilesystem(QStringLiteral("/dev")));
    CHECK(Settings::isVirtualFilesystem(QStringLiteral("/proc/no-such-dir")));
    CHECK_FALSE(Settings::isVirtualFilesystem(QStringLiteral("/process-like-name")));
    QTemporaryDir dir;
    CHECK_FALSE(Settings::isVirtualFilesystem(dir.path()));

    Settings settings;
    settings.setLastDirectory(dir.path());
    CHECK(Settings().lastDirectory() == dir.path());
    settings.setLastDirectory(QStringLiteral("/sys/class"));
    CHECK(Settings().lastDirectory() == dir.path()); // refused, the previous one stays

    // A settings file an older version wrote, with /proc in it: ignored on load.
    settings.setValue(SettingKey::last_directory, QStringLiteral("/proc"));
    CHECK(Settings().lastDirectory().isEmpty());
}

TEST_CASE("the light-background choice for chart images is kept between launches", "[ui][settings]")
{
    {
        Settings settings;
        CHECK_FALSE(settings.value(SettingKey::chart_export_light_background).toBool()); // the app's theme at first
        settings.setValue(SettingKey::chart_export_light_background, true);
    }
    Settings next_launch;
    CHECK(next_launch.value(SettingKey::chart_export_light_background).toBool());
    next_launch.setValue(SettingKey::chart_export_light_background, false); // as the other tests expect
}
