// Reads where a run happens: printed by `compilescope-cli env` and embedded in every report.
#pragma once

#include "compilescope/engine/engine_only.h"
#include "compilescope/environment.h"

namespace compilescope {

/// Reads the environment now (cheap; safe to call from any thread). python_torch_version stays empty.
Environment collect_environment();

/// Fills python_torch_version by importing torch in environment.python (seconds; remembered per process),
/// or "none: <why>".
void add_python_torch_version(Environment& environment);

} // namespace compilescope
