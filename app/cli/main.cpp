#include "command_line.h"
#include "stop_signals.h"

#include <iostream>

int main(int argc, char** argv)
{
    compilescope::cli::start_stop_signal_thread();
    return compilescope::cli::run_command_line(argc, argv, std::cout, std::cerr);
}
