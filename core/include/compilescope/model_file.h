// A model file's axes and functions, read without running it, and the sweep configuration made from them.
// LibTorch-free: the reading is Python's ast module in a child process (tools/reference/model_file.py --describe).
#pragma once

#include "compilescope/config.h"

#include <stdexcept>
#include <string>
#include <vector>

namespace compilescope {

/// A model file that cannot be swept, or an axis override that does not fit it; the message names the file, the
/// line where the file has one, and what is allowed.
class ModelFileError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// What a model file says about itself (docs/model-files.md).
struct ModelFileDescription {
    std::string path; ///< absolute, links resolved
    std::vector<ModelAxis> axes; ///< its AXES: names and default values, in its order
    bool has_loss = false; ///< it defines loss(output, inputs): forward_backward and train_step can run
    std::string description; ///< the first line of its docstring
};

/// Reads `path` with `python` (the sweep's): its AXES, build() and loss(), from its syntax tree; no line of the
/// file runs. Resolves the path (relative to the current folder, links followed) and refuses a file other users may
/// write (check_trusted_file: its code will run in the sweep). Throws ModelFileError.
ModelFileDescription describe_model_file(const std::string& path, const std::string& python);

/// "NAME=V1,V2,...": one axis's values instead of the file's defaults. Throws ModelFileError naming the axis and
/// the file's axes when NAME is not one of them, or when the values are not integers >= 1.
void override_axis(std::vector<ModelAxis>& axes, const std::string& assignment);

/// The configuration's model-file part and the settings a model file needs: workload model_file alone, the file's
/// axes, py-eager as the baseline. Variants stay as they are (validate_config says what is missing).
void use_model_file(SweepConfig& config, const ModelFileDescription& description);

} // namespace compilescope
