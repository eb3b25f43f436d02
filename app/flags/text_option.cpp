#include "text_option.h"

namespace compilescope::cli {

// `--batch --seed 5` would otherwise blame "5": a value that looks like a flag means the value was forgotten.
const CLI::Validator value_not_a_flag(
    [](std::string& value) -> std::string {
        if (value.rfind("--", 0) == 0 || value == "-q" || value == "-h")
            return "needs a value, but the next argument is the flag '" + value + "' (a value may not start with --)";
        return {};
    },
    "VALUE", "value_not_a_flag");

CLI::Option* add_text(CLI::App& app, const std::string& name, const std::function<void(const std::string&)>& store,
    const std::string& description)
{
    // Given twice, the last value wins, so that a script's defaults can be overridden by appending flags.
    return app.add_option_function<std::string>(name, store, description)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast)
        ->check(value_not_a_flag);
}

CLI::Option* add_text(
    CLI::App& app, const std::string& name, std::optional<std::string>& target, const std::string& description)
{
    return add_text(
        app, name, [&target](const std::string& value) { target = value; }, description);
}

} // namespace compilescope::cli
