#include "compilescope/engine/environment.h"

#include "engine/cpu_block_cache.h"

#include "compilescope/allocator.h"
#include "compilescope/engine/variants.h"
#include "compilescope/python.h"
#include "compilescope/text_utf8.h"
#include "engine/torchscript_variant.h"

#include <ATen/Version.h>

#include "compilescope_git_revision.h"

#include <cctype>
#include <climits>
#include <cstdlib>
#include <fstream>
#include <link.h>
#include <set>
#include <sys/utsname.h>
#include <unistd.h>

#ifdef COMPILESCOPE_WITH_CUDA
#include <ATen/cuda/CUDAContext.h>
#include <cuda_runtime_api.h>
#endif

namespace compilescope {

namespace {

std::string trim(const std::string& text)
{
    const size_t start = text.find_first_not_of(" \t\"");
    if (start == std::string::npos) {
        return "";
    }
    const size_t end = text.find_last_not_of(" \t\"");
    return text.substr(start, end - start + 1);
}

/// The value of the first "key<separator>value" line of a file.
std::string file_value(const char* path, const std::string& key, char separator)
{
    std::ifstream file(path);
    std::string line;
    while (std::getline(file, line)) {
        const size_t at = line.find(separator);
        if (at != std::string::npos && trim(line.substr(0, at)) == key) {
            return trim(line.substr(at + 1));
        }
    }
    return "";
}

/// "BLAS_INFO=open" etc. from LibTorch's build configuration.
std::string build_setting(const std::string& config, const std::string& key)
{
    const size_t at = config.find(key + "=");
    if (at == std::string::npos) {
        return "";
    }
    const size_t start = at + key.size() + 1;
    return config.substr(start, config.find_first_of(",\n", start) - start);
}

/// Shared libraries mapped into this process whose file name mentions BLAS or MKL, resolved through symlinks
/// (libblas.so.3 is an alternatives link: which implementation it is matters by an order of magnitude).
std::string loaded_blas_libraries()
{
    std::set<std::string> libraries;
    dl_iterate_phdr(
        [](struct dl_phdr_info* info, size_t, void* data) {
            const std::string path = info->dlpi_name ? info->dlpi_name : "";
            const std::string name = path.substr(path.find_last_of('/') + 1);
            if (name.find("blas") != std::string::npos || name.find("mkl") != std::string::npos) {
                char resolved[PATH_MAX];
                const bool ok = realpath(path.c_str(), resolved) != nullptr;
                static_cast<std::set<std::string>*>(data)->insert(name + " -> " + (ok ? resolved : path));
            }
            return 0;
        },
        &libraries);
    std::string text;
    for (const std::string& library : libraries) {
        text += (text.empty() ? "" : "; ") + library;
    }
    return text;
}

std::string compiler_name()
{
#if defined(__clang__)
    return "Clang " __clang_version__;
#elif defined(__GNUC__)
    return "GCC " __VERSION__;
#else
    return __VERSION__;
#endif
}

std::string operating_system()
{
    std::string os = file_value("/etc/os-release", "PRETTY_NAME", '=');
    utsname names {};
    if (uname(&names) == 0) {
        os += (os.empty() ? "" : ", ") + std::string(names.sysname) + " " + names.release + " " + names.machine;
    }
    return os;
}

std::string host_name()
{
    char name[256] = {};
    return gethostname(name, sizeof name - 1) == 0 ? name : "";
}

#ifdef COMPILESCOPE_WITH_CUDA
/// 12080 -> "12.8"; cuDNN 8 numbers versions 8906 (8.9.6), cuDNN 9 90100 (9.1.0).
std::string cuda_version_text(long version)
{
    return std::to_string(version / 1000) + "." + std::to_string(version % 1000 / 10);
}

std::string cudnn_version_text(long version)
{
    const long major_unit = version >= 90000 ? 10000 : 1000;
    return std::to_string(version / major_unit) + "." + std::to_string(version % major_unit / 100) + "."
        + std::to_string(version % 100);
}

void fill_cuda(Environment& environment)
{
    environment.cuda_version = cuda_version_text(at::detail::getCUDAHooks().versionCUDART());
    try {
        environment.cudnn_version = cudnn_version_text(at::detail::getCUDAHooks().versionCuDNN());
    } catch (const std::exception&) {
        environment.cudnn_version = "";
    }
    if (!environment.cuda_available) {
        return;
    }
    const cudaDeviceProp* properties = at::cuda::getDeviceProperties(0);
    environment.gpu_name = properties->name;
    environment.gpu_sm_count = properties->multiProcessorCount;
    int driver_api = 0;
    cudaDriverGetVersion(&driver_api);
    // "NVRM version: NVIDIA UNIX x86_64 Kernel Module  570.86.15  ..." or "... Open Kernel Module for x86_64
    // 580.159.04 ...": the first word that starts with a digit and has a dot.
    std::ifstream file("/proc/driver/nvidia/version");
    std::string word;
    std::string driver;
    while (driver.empty() && file >> word) {
        if (std::isdigit(static_cast<unsigned char>(word.front())) && word.find('.') != std::string::npos) {
            driver = word;
        }
    }
    environment.gpu_driver
        = (driver.empty() ? "" : driver + " ") + "(CUDA driver API " + cuda_version_text(driver_api) + ")";
}
#endif

/// Every string that came from the system or another program made valid UTF-8 (issue 13: a host name with a 0xFF
/// byte made the JSON writer throw after the sweep, and the run was lost). Build constants are included: a
/// checkout's path or a compiler's version string is bytes too.
void make_valid_utf8(Environment& environment)
{
    for (std::string* text :
        { &environment.compilescope_version, &environment.git_revision, &environment.libtorch_version,
            &environment.cuda_version, &environment.cudnn_version, &environment.gpu_name, &environment.gpu_driver,
            &environment.cpu_model, &environment.blas, &environment.compiler, &environment.build_type, &environment.os,
            &environment.hostname, &environment.allocator, &environment.python, &environment.python_torch_version,
            &environment.peaks.source }) {
        if (!is_valid_utf8(*text)) {
            *text = valid_utf8(*text);
        }
    }
}

} // namespace

Environment collect_environment()
{
    Environment environment;
    environment.compilescope_version = COMPILESCOPE_VERSION;
    environment.git_revision = COMPILESCOPE_GIT_REVISION;
    environment.build_type = COMPILESCOPE_BUILD_TYPE;
    environment.libtorch_version = TORCH_VERSION;
    environment.cuda_available = cuda_available();
    environment.mps_available = at::hasMPS();
#ifdef COMPILESCOPE_WITH_CUDA
    fill_cuda(environment);
#endif
    environment.cpu_model = file_value("/proc/cpuinfo", "model name", ':');
    environment.cpu_cores = int(sysconf(_SC_NPROCESSORS_ONLN));
    environment.torch_threads = at::get_num_threads();
    const std::string config = at::show_config();
    environment.blas
        = "BLAS_INFO=" + build_setting(config, "BLAS_INFO") + ", LAPACK_INFO=" + build_setting(config, "LAPACK_INFO");
    const std::string loaded = loaded_blas_libraries();
    environment.blas += "; loaded: " + (loaded.empty() ? std::string("no BLAS library") : loaded);
    environment.compiler = compiler_name();
    environment.os = operating_system();
    environment.hostname = host_name();
    environment.allocator = allocator_description()
        + (engine::keeping_cpu_blocks()
                ? "; LibTorch's freed CPU blocks of 64 KiB and more kept for the next request of "
                  "their size, released between phases"
                : "");
    environment.torchscript_cpu_fusion = engine::torchscript_cpu_fusion().fuses;
    // Its torch version is read only where it is cheap to know or asked for: from the Python variants' child
    // process, or by `compilescope-cli env` (add_python_torch_version); importing torch takes seconds.
    environment.python = build_python();
    make_valid_utf8(environment);
    return environment;
}

void add_python_torch_version(Environment& environment)
{
    const PythonProbe probe = probe_python(environment.python);
    environment.python_torch_version
        = valid_utf8(probe.has_torch ? probe.torch_version : "none: " + probe.error); // another program's output
}

} // namespace compilescope
