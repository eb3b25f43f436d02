#include "usage_error.h"

#include "compilescope/settings.h"

#include <algorithm>
#include <type_traits>

namespace compilescope::cli {

std::string field_of_flag(const std::string& flag)
{
    std::string field;
    for_each_setting([&](const auto& setting) {
        if (field.empty() && setting.flag == flag)
            field = setting.field;
    });
    if (!field.empty())
        return field;
    field = flag.substr(std::min(flag.size(), flag.find_first_not_of('-')));
    std::replace(field.begin(), field.end(), '-', '_');
    return field;
}

std::string flag_of_field(const std::string& field, bool model)
{
    // d_model, seq_len and batch are the attention grid's and the model's: take the flag of the part asked for.
    std::string flag;
    bool flag_is_model = false;
    for_each_setting([&](const auto& setting) {
        using Owner = typename std::decay_t<decltype(setting)>::owner_type;
        const bool of_model = std::is_same_v<Owner, ModelConfig>;
        if (setting.field == field && *setting.flag != '\0'
            && (flag.empty() || (of_model == model && flag_is_model != model))) {
            flag = setting.flag;
            flag_is_model = of_model;
        }
    });
    return flag;
}

} // namespace compilescope::cli
