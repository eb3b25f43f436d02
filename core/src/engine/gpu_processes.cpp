#include "engine/gpu_processes.h"

#include <algorithm>

#ifdef COMPILESCOPE_WITH_CUDA
#include <ATen/cuda/CUDAContext.h>

#include <dlfcn.h>

#include <array>
#include <cstdio>
#endif

namespace compilescope::engine {

std::optional<int> other_processes(const std::set<unsigned>& listed, unsigned self, const std::set<unsigned>& ours)
{
    if (listed.count(self) == 0)
        return std::nullopt;
    int others = 0;
    for (unsigned pid : listed) {
        if (pid != self && ours.count(pid) == 0)
            ++others;
    }
    return others;
}

#ifdef COMPILESCOPE_WITH_CUDA
namespace {

// The few NVML declarations used (nvml.h is not part of every CUDA install), with the ABI of the unversioned
// functions, which every driver since NVML's first release keeps.
using NvmlDevice = struct NvmlDeviceOpaque*;
struct NvmlProcessInfoV1 {
    unsigned int pid;
    unsigned long long used_gpu_memory;
};
constexpr int nvml_success = 0;
constexpr int nvml_insufficient_size = 7;

class NvmlGpuProcesses final : public GpuProcesses {
public:
    ~NvmlGpuProcesses() override
    {
        if (m_shutdown)
            m_shutdown();
        if (m_library)
            ::dlclose(m_library);
    }

    /// "" on success, else why not.
    std::string open()
    {
        m_library = ::dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
        if (!m_library)
            return "NVML (libnvidia-ml.so.1) cannot be loaded";
        auto init = reinterpret_cast<int (*)()>(::dlsym(m_library, "nvmlInit_v2"));
        auto by_pci = reinterpret_cast<int (*)(const char*, NvmlDevice*)>(
            ::dlsym(m_library, "nvmlDeviceGetHandleByPciBusId_v2"));
        m_list = reinterpret_cast<int (*)(NvmlDevice, unsigned*, NvmlProcessInfoV1*)>(
            ::dlsym(m_library, "nvmlDeviceGetComputeRunningProcesses"));
        auto shutdown = reinterpret_cast<int (*)()>(::dlsym(m_library, "nvmlShutdown"));
        if (!init || !by_pci || !m_list || !shutdown)
            return "this NVML lacks the functions used";
        if (const int status = init(); status != nvml_success)
            return "NVML did not start (error " + std::to_string(status) + ")";
        m_shutdown = shutdown;
        const cudaDeviceProp* properties = at::cuda::getDeviceProperties(0);
        std::array<char, 32> address {};
        std::snprintf(address.data(), address.size(), "%x:%x:%x.0", unsigned(properties->pciDomainID),
            unsigned(properties->pciBusID), unsigned(properties->pciDeviceID));
        if (const int status = by_pci(address.data(), &m_device); status != nvml_success)
            return "NVML does not know the GPU at PCI " + std::string(address.data()) + " (error "
                + std::to_string(status) + ")";
        return "";
    }

    std::optional<std::set<unsigned>> pids() const override
    {
        std::array<NvmlProcessInfoV1, 256> infos {};
        unsigned count = unsigned(infos.size());
        const int status = m_list(m_device, &count, infos.data());
        if (status != nvml_success && status != nvml_insufficient_size)
            return std::nullopt;
        std::set<unsigned> listed;
        for (unsigned i = 0; i < std::min<unsigned>(count, unsigned(infos.size())); ++i)
            listed.insert(infos[i].pid);
        return listed;
    }

private:
    void* m_library = nullptr;
    int (*m_list)(NvmlDevice, unsigned*, NvmlProcessInfoV1*) = nullptr;
    int (*m_shutdown)() = nullptr;
    NvmlDevice m_device = nullptr;
};

} // namespace

std::unique_ptr<GpuProcesses> GpuProcesses::open(std::string* why_not)
{
    auto processes = std::make_unique<NvmlGpuProcesses>();
    std::string error = processes->open();
    if (error.empty())
        return processes;
    if (why_not)
        *why_not = std::move(error);
    return nullptr;
}
#else
std::unique_ptr<GpuProcesses> GpuProcesses::open(std::string* why_not)
{
    if (why_not)
        *why_not = "a build without CUDA";
    return nullptr;
}
#endif

} // namespace compilescope::engine
