// Other processes on the sweep's GPU (NVML): which IDs count as others, and on CUDA, a process beside the sweep
// that holds a context on the GPU marks its measurements as taken under load.
#include "compilescope/child_process.h"
#include "compilescope/engine/sweep.h"
#include "compilescope/engine/variants.h"
#include "compilescope/machine_load.h"
#include "compilescope/python.h"
#include "engine/gpu_processes.h"
#include "engine/variant_registry.h"
#include "sweep_fixtures.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <thread>
#include <unistd.h>

using namespace compilescope;
using namespace compilescope::engine;

TEST_CASE("the GPU's other processes are those neither this one nor the sweep's own", "[engine][load]")
{
    CHECK(other_processes({ 10, 20, 30 }, 10, { 20 }) == 1);
    CHECK(other_processes({ 10 }, 10, { 20 }) == 0);
    CHECK(other_processes({ 10, 20 }, 10, {}) == 1);
    // This process uses the GPU, so NVML lists it; if it does not, its IDs are another PID namespace's.
    CHECK_FALSE(other_processes({ 4711, 4712 }, 10, { 20 }));
    CHECK_FALSE(other_processes({}, 10, {}));
}

TEST_CASE("on CUDA a process beside the sweep with a context on the GPU marks its measurements", "[engine][load][cuda]")
{
    if (!cuda_available()) {
        WARN("not run: " << device_availability(Device::cuda).reason);
        return;
    }
    std::string why_not;
    const std::unique_ptr<GpuProcesses> gpu = GpuProcesses::open(&why_not);
    if (!gpu) {
        WARN("other processes on the GPU cannot be seen here: " << why_not);
        return;
    }
    // A second process that holds a context on the GPU for the whole sweep.
    ChildProcess neighbour({ build_python(), "-c",
                               "import time, torch; torch.ones(1, device='cuda'); print('ready', flush=True); "
                               "time.sleep(120)" },
        {});
    std::string line;
    REQUIRE(neighbour.read_line(line, 120000) == ChildProcess::ReadStatus::line);
    REQUIRE(line == "ready");

    SweepConfig config = tiny_config();
    config.device = Device::cuda;
    config.workloads = { Workload::attention };
    config.phases = { Phase::forward };
    config.variants = { "eager", "fused-sdpa" };
    const RunResult run = run_sweep(config, {}, CancelToken {});
    const std::optional<std::set<unsigned>> listed = gpu->pids();
    REQUIRE(listed);
    INFO("NVML lists " << listed->size() << " processes; this one is " << ::getpid() << ", the neighbour "
                       << neighbour.pid());
    for (const Measurement& m : run.measurements) {
        INFO(m.variant << ": " << m.message);
        REQUIRE(m.ok());
        REQUIRE(m.load);
        if (!listed->count(unsigned(::getpid()))) { // a container: NVML's IDs are the host's
            CHECK_FALSE(m.load->gpu_other_processes);
            WARN("NVML's process IDs are not this PID namespace's: other processes cannot be told from ours");
            continue;
        }
        REQUIRE(m.load->gpu_other_processes);
        CHECK(*m.load->gpu_other_processes >= 1); // the neighbour, and any test ctest runs beside this one
        CHECK(m.load->busy());
        CHECK(std::find(m.notes.begin(), m.notes.end(), under_load_note(*m.load)) != m.notes.end());
    }
}
