#include "machine.h"

#include <stdexcept>

namespace compilescope {

namespace {

std::unique_ptr<Machine>& installed()
{
    static std::unique_ptr<Machine> machine;
    return machine;
}

} // namespace

void installMachine(std::unique_ptr<Machine> machine)
{
    installed() = std::move(machine);
}

const Machine& machine()
{
    if (!installed())
        throw std::logic_error("no Machine installed: main() must call installMachine() first");
    return *installed();
}

} // namespace compilescope
