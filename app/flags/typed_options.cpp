#include "typed_options.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>

namespace compilescope::cli {

std::string FlagErrors::refuse(const std::string& flag, const std::string& message)
{
    m_errors.push_back({ field_of_flag(flag), flag, message });
    return message;
}

CLI::Option* add_switch(CLI::App& app, const std::string& name, bool& target, const std::string& description)
{
    const CLI::Validator boolean(
        [](std::string& value) -> std::string {
            // An absent flag is validated as "" (its default); a flag given alone arrives as "true".
            if (value.empty() || value == "true" || value == "false" || value == "1" || value == "0")
                return {};
            return "takes no value, or =true, =false, =1 or =0 (got '" + value + "')";
        },
        "BOOL", "boolean");
    return app.add_flag(name, target, description)->check(boolean);
}

IntegerText read_integer_text(const std::string& text)
{
    IntegerText read;
    const std::string trimmed = CLI::detail::trim_copy(text);
    const size_t digits = trimmed.empty() || (trimmed[0] != '-' && trimmed[0] != '+') ? 0 : 1;
    if (trimmed.size() == digits || trimmed.find_first_not_of("0123456789", digits) != std::string::npos)
        return read;
    read.integer = true;
    read.negative = trimmed[0] == '-';
    const auto first = trimmed.find_first_not_of('0', digits);
    const std::string magnitude = first == std::string::npos ? "0" : trimmed.substr(first);
    read.canonical = (read.negative && magnitude != "0" ? "-" : "") + magnitude;
    errno = 0;
    std::strtoll(read.canonical.c_str(), nullptr, 10);
    read.fits_int64 = errno != ERANGE;
    errno = 0;
    std::strtoull(magnitude.c_str(), nullptr, 10);
    read.fits_uint64 = errno != ERANGE;
    return read;
}

CLI::Validator checked_value(FlagErrors& errors, const std::string& flag, const std::vector<CLI::Validator>& checks)
{
    return CLI::Validator(
        [&errors, flag, checks](std::string& value) -> std::string {
            if (auto message = value_not_a_flag(value); !message.empty())
                return message; // "--batch: needs a value, but ...": about the command line, not the field
            for (const auto& check : checks) {
                if (const auto message = check(value); !message.empty())
                    return errors.refuse(flag, message);
            }
            return {};
        },
        "", "checked_value");
}

CLI::Validator member_of(const std::vector<std::string>& names)
{
    const CLI::Validator is_member = CLI::IsMember(names);
    const std::string allowed = join(names, ", ");
    return CLI::Validator(
        [is_member, allowed](std::string& value) -> std::string {
            const std::string given = value;
            value = CLI::detail::trim_copy(value);
            if (!is_member(value).empty())
                return "unknown value '" + given + "' (allowed: " + allowed + ")";
            return {};
        },
        "NAME", "member_of");
}

std::vector<std::string> list_items(const std::string& list)
{
    std::vector<std::string> items;
    for (const auto& item : CLI::detail::split(list, ','))
        items.push_back(CLI::detail::trim_copy(item));
    // std::getline, under CLI11's split, drops the empty item after a final comma.
    if (!list.empty() && list.back() == ',')
        items.emplace_back();
    return items;
}

CLI::Validator comma_list(const std::string& expected, const CLI::Validator& item)
{
    return CLI::Validator(
        [expected, item](std::string& value) -> std::string {
            if (CLI::detail::trim_copy(value).empty())
                return "the list is empty (expected " + expected + ")";
            auto items = list_items(value);
            for (size_t i = 0; i < items.size(); ++i) {
                const std::string position = "item " + std::to_string(i + 1) + " of '" + value + "'";
                if (items[i].empty())
                    return position + " is empty (expected " + expected + ")";
                if (const auto message = item(items[i]); !message.empty())
                    return message + " (" + position + ")";
            }
            value = CLI::detail::join(items, ",");
            return {};
        },
        "LIST", "comma_list");
}

CLI::Option* add_number(CLI::App& app, FlagErrors& errors, const std::string& flag, const Store<double>& store,
    const std::string& description)
{
    const CLI::Validator finite(
        [](std::string& value) -> std::string {
            const std::string text = CLI::detail::trim_copy(value);
            errno = 0;
            char* end = nullptr;
            const double number = std::strtod(text.c_str(), &end);
            if (text.empty() || *end != '\0' || end == text.c_str())
                return "'" + value + "' is not a number";
            const bool underflow = errno == ERANGE && std::fabs(number) <= std::numeric_limits<double>::min();
            if ((errno == ERANGE && !underflow) || !std::isfinite(number)) {
                std::ostringstream message;
                message.precision(17);
                message << "'" << value << "' is out of range (allowed: a finite number of magnitude at most "
                        << std::numeric_limits<double>::max() << ")";
                return message.str();
            }
            value = text;
            return {};
        },
        "FLOAT", "finite");
    return app.add_option_function<double>(flag, store, description)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast)
        ->transform(checked_value(errors, flag, { finite }))
        ->type_name("FLOAT");
}

CLI::Option* add_integer_list(CLI::App& app, FlagErrors& errors, const std::string& flag,
    const Store<std::vector<int64_t>>& store, const std::string& description)
{
    const auto convert = [store](const std::string& list) {
        std::vector<int64_t> values;
        for (const auto& item : list_items(list)) {
            int64_t value = 0;
            CLI::detail::lexical_cast(item, value); // canonical decimal: comma_list wrote it back
            values.push_back(value);
        }
        store(values);
    };
    return app.add_option_function<std::string>(flag, convert, description)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast)
        ->transform(
            checked_value(errors, flag, { comma_list("a list like 16,32,64", integer_in(IntegerRange<int64_t> {})) }))
        ->type_name("LIST");
}

CLI::Option* add_name_list(CLI::App& app, FlagErrors& errors, const std::string& flag,
    const Store<std::vector<std::string>>& store, const std::string& description)
{
    const CLI::Validator any_name([](std::string&) { return std::string(); }, "NAME", "any_name");
    return app
        .add_option_function<std::string>(
            flag, [store](const std::string& list) { store(list_items(list)); }, description)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast)
        ->transform(checked_value(errors, flag, { comma_list("a list like eager,torchscript", any_name) }))
        ->type_name("LIST");
}

CLI::Option* add_path(CLI::App& app, FlagErrors& errors, const std::string& flag, const Store<std::string>& store,
    const std::string& expected, const std::string& description)
{
    const CLI::Validator not_blank(
        [expected](std::string& value) -> std::string {
            value = CLI::detail::trim_copy(value);
            return value.empty() ? "is empty (expected " + expected + ")" : std::string();
        },
        "PATH", "not_blank");
    return add_text(app, flag, store, description)->transform(checked_value(errors, flag, { not_blank }));
}

} // namespace compilescope::cli
