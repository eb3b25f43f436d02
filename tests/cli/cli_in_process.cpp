#include "cli_in_process.h"

#include "command_line.h"

#include <sstream>

namespace compilescope::test {

ProcessResult cli_in_process(const std::vector<std::string>& arguments, CliStage stage)
{
    std::vector<const char*> argv { "compilescope-cli" };
    for (const std::string& argument : arguments)
        argv.push_back(argument.c_str());
    std::ostringstream out;
    std::ostringstream err;
    const int argc = static_cast<int>(argv.size());
    const int code = stage == CliStage::run ? cli::run_command_line(argc, argv.data(), out, err)
                                            : cli::check_command_line(argc, argv.data(), out, err);
    return { code, out.str(), err.str() };
}

} // namespace compilescope::test
