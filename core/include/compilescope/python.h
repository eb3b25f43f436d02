// The Python that owns the linked LibTorch: it runs the Python variants (and exports AOTInductor packages).
// LibTorch-free: finding and probing it runs a child process.
#pragma once

#include <string>

namespace compilescope {

/// How long a Python child may take to start and import torch before it is deemed hung: a cold file cache on a
/// slow disk can take tens of seconds.
inline constexpr double python_startup_timeout_s = 120;

/// The Python recorded at build time (CMake's COMPILESCOPE_PYTHON), or "python3" when the build recorded none.
std::string build_python();

/// `configured` when not empty, else build_python().
std::string resolve_python(const std::string& configured);

struct PythonProbe {
    std::string python; ///< as resolved
    bool has_torch = false;
    std::string torch_version; ///< torch.__version__ when has_torch
    std::string error; ///< why it cannot run the Python variants, when !has_torch
};

/// Runs `python -c "import torch"` once per path (a second or two) and remembers the answer for the process.
/// Thread-safe.
PythonProbe probe_python(const std::string& python);

/// The shipped reference script (tools/reference/torch_compile_reference.py): next to the executable's install
/// tree (share/compilescope), else in the source tree the build came from. "" when neither exists.
std::string reference_script_path();

/// The shipped AOTInductor exporter (tools/reference/aoti_export.py), found like reference_script_path().
std::string aoti_exporter_path();

/// The shipped reader of model files (tools/reference/model_file.py), found like reference_script_path().
std::string model_file_script_path();

} // namespace compilescope
