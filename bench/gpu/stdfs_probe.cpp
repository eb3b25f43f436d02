// Does std::filesystem work in a program that links LibTorch? The pip wheels' libtorch_cpu.so exports std::filesystem
// symbols of its own; CLI tests that walked folders with std::filesystem crashed on the GPU server (2026-11-25).
// bench/gpu/stdfs_probe.sh builds this with each compiler and link order and runs it.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include <unistd.h>

namespace fs = std::filesystem;

int main()
{
    const fs::path root = fs::temp_directory_path() / ("stdfs-probe-" + std::to_string(::getpid()));
    fs::create_directories(root / "proc/self");
    std::ofstream(root / "proc/meminfo") << "MemAvailable: 1 kB\n";
    int entries = 0;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
        entries += entry.is_regular_file() ? 1 : 0;
    }
    const fs::path relative = (root / "proc/self").lexically_relative(root);
    std::cout << "entries " << entries << ", relative " << relative.generic_string() << ", parent "
              << (root / "proc/self").parent_path().filename().string() << std::endl;
    fs::remove_all(root);
    return entries == 1 && relative == "proc/self" ? 0 : 1;
}
