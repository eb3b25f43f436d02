#include "journal_location.h"

#include "compilescope/config.h"

#include <chrono>
#include <ctime>
#include <filesystem>
#include <unistd.h>

namespace compilescope::cli {

namespace {

std::string absolute(const std::string& path)
{
    if (path == "-")
        return path;
    std::error_code error;
    const auto full = std::filesystem::absolute(path, error);
    return error ? path : full.lexically_normal().string();
}

/// Where the journal of a sweep whose reports all go to standard output (or nowhere) lives:
/// $XDG_STATE_HOME/compilescope/journals (default ~/.local/state/...), one file per sweep. "" when there is no
/// usable state folder, with the reason in `why_none`.
std::string state_journal_path(std::string& why_none)
{
    const std::string state = xdg_base_directory("XDG_STATE_HOME", ".local/state");
    if (state.empty()) {
        why_none = "neither XDG_STATE_HOME nor HOME is an absolute path, and the password database names no home";
        return {};
    }
    const std::filesystem::path directory = std::filesystem::path(state) / "compilescope/journals";
    std::error_code error;
    std::filesystem::create_directories(directory, error);
    if (error) {
        why_none = "cannot create " + directory.string() + ": " + error.message();
        return {};
    }
    const std::time_t now = std::time(nullptr);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::localtime(&now));
    return (directory / ("run-" + std::string(stamp) + "-" + std::to_string(::getpid()) + ".journal")).string();
}

} // namespace

JournalOutputs journal_outputs(const std::optional<std::string>& markdown, const std::optional<std::string>& json,
    const std::optional<std::string>& csv)
{
    JournalOutputs outputs;
    if (markdown)
        outputs["markdown"] = absolute(*markdown);
    if (json)
        outputs["json"] = absolute(*json);
    if (csv)
        outputs["csv"] = absolute(*csv);
    return outputs;
}

std::string journal_path(const JournalOutputs& outputs, std::string& why_none)
{
    for (const char* format : { "json", "markdown", "csv" }) {
        const auto found = outputs.find(format);
        if (found != outputs.end() && found->second != "-")
            return journal_path_for(found->second);
    }
    return state_journal_path(why_none);
}

bool report_existing_journal(const std::string& path, std::ostream& err)
{
    if (path.empty() || !std::filesystem::exists(path))
        return false;
    err << "compilescope-cli: error: " << path
        << " exists: a sweep writing these reports was interrupted. `compilescope-cli resume " << path
        << "` finishes it; delete the journal to start over." << std::endl;
    return true;
}

} // namespace compilescope::cli
