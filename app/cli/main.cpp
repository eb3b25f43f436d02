#include "command_line.h"

#include <iostream>

int main(int argc, char** argv)
{
    return compilescope::cli::run_command_line(argc, argv, std::cout, std::cerr);
}
