#include "run_options.h"

#include "exit_code.h"

#include "compilescope/engine/variants.h"
#include "compilescope/model_file.h"
#include "compilescope/python.h"
#include "compilescope/variant_names.h"

#include <algorithm>

namespace compilescope::cli {

namespace {

bool contains(const std::vector<ConfigError>& errors, const ConfigError& error)
{
    return std::any_of(errors.begin(), errors.end(),
        [&](const ConfigError& other) { return other.field == error.field && other.message == error.message; });
}

/// --model-file and --axis: the file's axes (read without running it), overridden by each --axis.
void use_model_file_flags(const SweepFlags& options, ParsedSweepFlags& parsed)
{
    if (!options.model_file) {
        if (!options.axes.empty())
            parsed.errors.push_back({ "axes", "--axis", "sets an axis of a model file and needs --model-file FILE" });
        return;
    }
    SweepConfig& config = parsed.config;
    if (options.has("--workload"))
        parsed.errors.push_back(
            { "workload", "--workload", "a --model-file sweep runs the file alone: leave --workload out" });
    try {
        ModelFileDescription description = describe_model_file(*options.model_file, resolve_python(config.python));
        for (const std::string& assignment : options.axes)
            override_axis(description.axes, assignment);
        const std::string baseline = config.speedup_baseline;
        use_model_file(config, description);
        if (options.has("--speedup-baseline"))
            config.speedup_baseline = baseline; // validate_config() says why it must be py-eager
    } catch (const ModelFileError& error) {
        const bool axis = std::string(error.what()).rfind("--axis", 0) == 0;
        parsed.errors.push_back({ axis ? "axes" : "model_file", axis ? "--axis" : "--model-file", error.what() });
    }
}

} // namespace

ParsedSweepFlags build_sweep_config(const SweepFlags& options)
{
    ParsedSweepFlags parsed = apply_sweep_flags(options);
    SweepConfig& config = parsed.config;
    use_model_file_flags(options, parsed);
    const bool model_file = !config.model_file.path.empty();
    // Variant names are open-ended (list_variants()); validate_config() checks them against this build.
    if (!options.has("--variants") || config.variants == std::vector<std::string> { "all" }) {
        // eager first (list_variants' order); a model file's module runs in Python only
        config.variants.clear();
        for (const VariantInfo& variant : list_variants(config.device)) {
            if (variant.available && (!model_file || is_python_variant(variant.name)))
                config.variants.push_back(variant.name);
        }
    }
    return parsed;
}

std::vector<UsageError> with_flags(const std::vector<ConfigError>& errors, const SweepConfig& config)
{
    const bool has_attention
        = std::find(config.workloads.begin(), config.workloads.end(), Workload::attention) != config.workloads.end();
    std::vector<ConfigError> attention_errors;
    if (has_attention) {
        SweepConfig attention_only = config;
        attention_only.workloads = { Workload::attention };
        attention_errors = validate_config(attention_only);
    }
    std::vector<UsageError> result;
    for (const auto& error : errors) {
        const bool model = !has_attention || !contains(attention_errors, error);
        result.push_back({ error.field, flag_of_field(error.field, model), error.message });
    }
    return result;
}

int report_usage_errors(const std::vector<UsageError>& errors, const std::string& command, std::ostream& err)
{
    for (const auto& error : errors) {
        // The flag even where it is only the field with dashes: it is what the user typed and can search --help for.
        err << "compilescope-cli: error: " << error.field;
        if (!error.flag.empty())
            err << " (" << error.flag << ")";
        err << ": " << error.message << "\n";
    }
    err << "Run 'compilescope-cli " << command << " --help' for the options and their allowed values." << std::endl;
    return exit_usage;
}

} // namespace compilescope::cli
