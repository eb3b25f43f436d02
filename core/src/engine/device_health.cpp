#include "engine/device_health.h"

#ifdef COMPILESCOPE_WITH_CUDA
#include <ATen/cuda/CUDAGeneratorImpl.h>
#include <cuda_runtime_api.h>
#endif

#include <mutex>

namespace compilescope::engine {

#ifdef COMPILESCOPE_WITH_CUDA

namespace {

/// "" when a one-element random draw on the device works, else LibTorch's error.
std::string random_draw_error()
{
    try {
        (void)torch::rand({ 1 }, torch::TensorOptions().device(torch::kCUDA));
        torch::cuda::synchronize();
        return "";
    } catch (const c10::Error& error) {
        return error.what_without_backtrace();
    }
}

/// Gives the default CUDA generator a fresh state with the same seed and offset: a state that a failed capture
/// left in capture mode is dropped (graphs captured earlier keep the state they registered).
void replace_generator_state()
{
    const at::Generator& generator = at::cuda::detail::getDefaultCUDAGenerator();
    auto* current = generator.get<at::CUDAGeneratorImpl>();
    const std::lock_guard<std::mutex> lock(current->mutex_);
    const at::Generator fresh = at::cuda::detail::createCUDAGenerator(current->device().index());
    auto* fresh_impl = fresh.get<at::CUDAGeneratorImpl>();
    fresh_impl->set_current_seed(current->current_seed());
    fresh_impl->set_philox_offset_per_thread(current->philox_offset_per_thread());
    current->graphsafe_set_state(fresh.getIntrusivePtr());
}

} // namespace

std::string restore_device(Device device)
{
    if (device != Device::cuda) {
        return "";
    }
    const cudaError_t synchronized = cudaDeviceSynchronize();
    if (synchronized != cudaSuccess) {
        (void)cudaGetLastError();
        // A second try tells a refused synchronisation (a capture still open somewhere) from a sticky error.
        const cudaError_t again = cudaDeviceSynchronize();
        if (again != cudaSuccess) {
            return std::string("the device cannot be synchronised (") + cudaGetErrorString(again) + ")";
        }
    }
    (void)cudaGetLastError();
    std::string draw = random_draw_error();
    if (!draw.empty()) {
        try {
            replace_generator_state();
        } catch (const std::exception& error) {
            return "random numbers fail (" + draw + ") and the generator's state cannot be replaced (" + error.what()
                + ")";
        }
        draw = random_draw_error();
        if (!draw.empty()) {
            return "random numbers fail even with a fresh generator state (" + draw + ")";
        }
    }
    return "";
}

#else

std::string restore_device(Device)
{
    return "";
}

#endif

} // namespace compilescope::engine
