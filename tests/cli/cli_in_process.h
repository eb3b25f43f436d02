// compilescope-cli's command line run inside the test process (app/cli/command_line.h): for what starts no sweep,
// or a tiny one, where a child process would only add time.
#pragma once

#include "cli_process.h"

#include <string>
#include <vector>

namespace compilescope::test {

enum class CliStage {
    run, ///< run_command_line: the command runs
    validate, ///< check_command_line: everything is parsed and checked, nothing runs
};

/// `compilescope-cli ARGUMENTS...` in this process; exit_code is what the command line returns.
ProcessResult cli_in_process(const std::vector<std::string>& arguments, CliStage stage = CliStage::run);

} // namespace compilescope::test
