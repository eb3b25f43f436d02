// A CLI11 option whose value is kept as the user's text (parsed later, so that a bad value is reported with the
// field's name), refusing a next argument that is a flag.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <optional>
#include <string>

namespace compilescope::cli {

/// Refuses a value that starts with `--` (or is -q/-h): CLI11 hands an option the next argument whatever it is, so
/// `--markdown --json` would write a file named "--json". Every option that takes a value checks this first.
extern const CLI::Validator value_not_a_flag;

/// Adds `name` to `app`: given twice, the last value wins; a value that starts with `--` (or is -q/-h) is an error
/// naming the flag whose value was forgotten.
CLI::Option* add_text(CLI::App& app, const std::string& name, const std::function<void(const std::string&)>& store,
    const std::string& description);

/// add_text into an optional, for flags whose absence matters.
CLI::Option* add_text(
    CLI::App& app, const std::string& name, std::optional<std::string>& target, const std::string& description);

} // namespace compilescope::cli
