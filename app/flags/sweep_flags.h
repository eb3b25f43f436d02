// The flags that define a sweep, shared by compilescope-cli (`run`, `export-aoti`) and the desktop application's
// launch options: one CLI11 option for each setting with a flag (compilescope/settings.h), plus --preset and --quick.
#pragma once

#include "usage_error.h"

#include "compilescope/config.h"

#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace compilescope::cli {

class FlagErrors;

/// The sweep flags as given: each setting flag's value sits in `values` at its setting's place, typed and checked.
struct SweepFlags {
    std::optional<std::string> preset;
    bool quick = false;
    SweepConfig values; ///< read only where `given` names the flag
    std::vector<std::string> given; ///< the setting flags given, each once ("--warmup")
    /// `run` only: --model-file (the user's own model, docs/model-files.md) and its --axis NAME=LIST overrides.
    std::optional<std::string> model_file;
    std::vector<std::string> axes;

    bool has(const std::string& flag) const;
};

/// Adds --preset, --quick and a typed option for every setting that has a flag, in the settings' groups. Refusals
/// while CLI11 parses are recorded in `errors` with their field and flag.
void add_sweep_flags(CLI::App& app, SweepFlags& flags, FlagErrors& errors);

/// A configuration built from flags, with the problems only the combination shows (--max-iters below --quick's
/// minimum). validate_config() is not applied here.
struct ParsedSweepFlags {
    SweepConfig config;
    std::vector<UsageError> errors;
};

/// `base`, then --preset, then --quick, then every flag given (so explicit flags always win). --variants all stays
/// {"all"}: the caller knows what this build can run.
ParsedSweepFlags apply_sweep_flags(const SweepFlags& flags, SweepConfig base = {});

/// The flags given that cannot change what `config` runs, one sentence each without a prefix, e.g. "--vocab-size
/// has no effect with --workload attention (...)": model flags without transformer_lm, attention flags without
/// attention, --sdpa-backend without an SDPA variant, AOTInductor and Python flags without such a variant.
/// `exports`: the command exports AOTInductor packages (export-aoti), which is what those flags steer.
std::vector<std::string> ineffective_flags(const SweepFlags& flags, const SweepConfig& config, bool exports = false);

} // namespace compilescope::cli
