#include "command_line.h"
#include "stop_signals.h"

#include "compilescope/failpoints.h"

#include <chrono>
#include <iostream>
#include <thread>

int main(int argc, char** argv)
{
    compilescope::cli::start_stop_signal_thread();
    const int code = compilescope::cli::run_command_line(argc, argv, std::cout, std::cerr);
    if (compilescope::failpoints::hit("exit") == "stall") { // a window for a signal while the process winds down
        std::cerr << "compilescope-cli: failpoint: the exit waits 2 s" << std::endl;
        std::this_thread::sleep_for(std::chrono::seconds(2));
    }
    return code;
}
