// Typed CLI11 options: integers and numbers with their range, comma lists, and names from the core's own tables.
// Each check says what is wrong with the field, the flag and what is allowed; the value reaches its target typed.
#pragma once

#include "text_option.h"
#include "usage_error.h"

#include "compilescope/text_format.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace compilescope::cli {

/// The problems the checks below found while CLI11 parsed (it stops at the first), kept with their field and flag
/// so that they are printed like validate_config()'s errors: "FIELD (FLAG): MESSAGE".
class FlagErrors {
public:
    /// Records the problem and returns `message`, for CLI11's ValidationError.
    std::string refuse(const std::string& flag, const std::string& message);
    const std::vector<UsageError>& errors() const { return m_errors; }

private:
    std::vector<UsageError> m_errors;
};

/// Where a flag's value goes once CLI11 has read and checked it.
template <typename T> using Store = std::function<void(const T&)>;

/// A Store into an optional, for flags whose absence matters.
template <typename T> Store<T> into(std::optional<T>& target)
{
    return [&target](const T& value) { target = value; };
}

/// A boolean flag: alone it means true, and `--flag=true|false|1|0` sets it either way (the last one given wins).
/// CLI11 alone would take yes/no/on/off and any integer too, and a flag callback that sums counts would throw on
/// `--causal=false`'s text or read it as true.
CLI::Option* add_switch(CLI::App& app, const std::string& name, bool& target, const std::string& description);

/// An integer as the user typed it, read in base 10 (CLI11 reads base 0: "010" would be 8 and "0x10" 16).
struct IntegerText {
    bool integer = false; ///< an optional sign and decimal digits, blanks around allowed
    bool negative = false;
    bool fits_int64 = false;
    bool fits_uint64 = false;
    std::string canonical; ///< "+007" -> "7", what CLI11 converts
};
IntegerText read_integer_text(const std::string& text);

/// A name and the value it stands for, e.g. {"bf16", Dtype::bf16}, built from the core's name list and parser.
template <typename T> using NameTable = std::vector<std::pair<std::string, T>>;

template <typename T>
NameTable<T> name_table(const std::vector<std::string>& names, std::optional<T> (*parse)(const std::string&))
{
    NameTable<T> table;
    for (const auto& name : names)
        table.emplace_back(name, *parse(name));
    return table;
}

/// What an integer flag allows. Without `refusal`, the range is what the type can store and the message says so;
/// ranges that depend on other fields are validate_config()'s.
template <typename T> struct IntegerRange {
    T min = std::numeric_limits<T>::min();
    T max = std::numeric_limits<T>::max();
    std::function<std::string(const std::string& text)> refusal; ///< the message for a value outside [min, max]
};

/// The checks of one flag's value as one CLI11 transform, so that they may rewrite the value (a CLI11 check may not)
/// and run in order: first value_not_a_flag, then `checks`, whose refusal is recorded in `errors` under `flag`.
CLI::Validator checked_value(FlagErrors& errors, const std::string& flag, const std::vector<CLI::Validator>& checks);

/// A decimal integer in [min, max], checked with CLI::Range and written back in canonical form.
template <typename T> CLI::Validator integer_in(IntegerRange<T> range)
{
    const CLI::Validator in_range = CLI::Range(range.min, range.max);
    const auto refusal = range.refusal ? range.refusal : [](const std::string& text) {
        return "'" + text + "' is out of range (at most " + std::to_string(std::numeric_limits<T>::max())
            + " can be stored; --help gives the values that make sense)";
    };
    return CLI::Validator(
        [in_range, refusal](std::string& value) -> std::string {
            const auto read = read_integer_text(value);
            if (!read.integer)
                return "'" + value + "' is not an integer";
            // CLI11 2.1 reads "-1" as a uint64 (2^64 - 1) and 2^63 as an int64 (2^63 - 1): check the span first.
            const bool fits = std::is_signed_v<T> ? read.fits_int64 : !read.negative && read.fits_uint64;
            std::string canonical = read.canonical;
            if (!fits || !in_range(canonical).empty())
                return refusal(value);
            value = read.canonical;
            return {};
        },
        "INT", "integer");
}

/// An integer flag: given twice, the last value wins.
template <typename T>
CLI::Option* add_integer(CLI::App& app, FlagErrors& errors, const std::string& flag, const Store<T>& store,
    const std::string& description, IntegerRange<T> range = {})
{
    return app.add_option_function<T>(flag, store, description)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast)
        ->transform(checked_value(errors, flag, { integer_in(range) }))
        ->type_name("INT");
}

/// A finite floating-point flag; denormals are read as what they are, so that validate_config() names the range.
CLI::Option* add_number(CLI::App& app, FlagErrors& errors, const std::string& flag, const Store<double>& store,
    const std::string& description);

/// A comma list of integers ("16,32,64"), each a 64-bit integer; empty items are refused with their position.
CLI::Option* add_integer_list(CLI::App& app, FlagErrors& errors, const std::string& flag,
    const Store<std::vector<int64_t>>& store, const std::string& description);

/// A comma list of any names (variants: this build's are checked by validate_config()).
CLI::Option* add_name_list(CLI::App& app, FlagErrors& errors, const std::string& flag,
    const Store<std::vector<std::string>>& store, const std::string& description);

/// A path or other text that may not be blank; `expected` says what it should be. Blanks around it are dropped.
CLI::Option* add_path(CLI::App& app, FlagErrors& errors, const std::string& flag, const Store<std::string>& store,
    const std::string& expected, const std::string& description);

/// One of `names` (CLI::IsMember), blanks around it dropped, else "unknown value 'X' (allowed: a, b)".
CLI::Validator member_of(const std::vector<std::string>& names);

/// The checks of a comma list, on the whole text (CLI11's delimiter would drop empty items silently): a blank list,
/// an empty item with its position, then `item` on each item. Written back as "a,b" with each item as `item` left it.
CLI::Validator comma_list(const std::string& expected, const CLI::Validator& item);

/// The items of a list that comma_list() accepted.
std::vector<std::string> list_items(const std::string& list);

/// A flag taking one of a table's names (CLI::IsMember), converted to its value by CLI::Transformer.
template <typename T>
CLI::Option* add_name(CLI::App& app, FlagErrors& errors, const std::string& flag, const Store<T>& store,
    const NameTable<T>& table, const std::string& description)
{
    std::vector<std::string> names;
    for (const auto& entry : table)
        names.push_back(entry.first);
    std::vector<CLI::Validator> checks { member_of(names) };
    if constexpr (!std::is_same_v<T, std::string>)
        checks.push_back(CLI::Transformer(NameTable<T>(table)));
    return app.add_option_function<T>(flag, store, description)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast)
        ->transform(checked_value(errors, flag, checks))
        ->type_name("NAME");
}

/// A comma list of a table's names, each value kept once in the order given. With `all`, the name "all" stands for
/// every value of the table.
template <typename T>
CLI::Option* add_enum_list(CLI::App& app, FlagErrors& errors, const std::string& flag,
    const Store<std::vector<T>>& store, const NameTable<T>& table, bool all, const std::string& description)
{
    std::vector<std::string> names;
    for (const auto& entry : table)
        names.push_back(entry.first);
    if (all)
        names.emplace_back("all");
    const auto convert = [store, table](const std::string& list) {
        std::vector<T> values;
        for (const auto& item : list_items(list)) {
            for (const auto& [name, value] : table) {
                if ((item == name || item == "all") && std::find(values.begin(), values.end(), value) == values.end())
                    values.push_back(value);
            }
        }
        store(values);
    };
    return app.add_option_function<std::string>(flag, convert, description)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast)
        ->transform(
            checked_value(errors, flag, { comma_list("a comma list of: " + join(names, ", "), member_of(names)) }))
        ->type_name("LIST");
}

} // namespace compilescope::cli
