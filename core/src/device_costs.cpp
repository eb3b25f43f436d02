#include "device_costs.h"

namespace compilescope::engine {

DeviceCosts device_costs(Device device)
{
    DeviceCosts costs;
    switch (device) {
    case Device::cpu:
        // Measured on the shared 2-core VM (AMD EPYC, LibTorch 2.13.0+cpu) in a quick seed sweep of every variant
        // with an empty package cache (docs/statistics.md, "The estimate before Run"), scaled to a quiet machine by
        // the pace measured beside it (0.85 of 2 CPUs: one-off work 1.18x). Exports: 6 to 18 s for attention (the
        // first one cold), 18 s for the model's forward, 31 s for its train step, forward_backward about 0.7 of its
        // forward's and backward's. torch.compile: attention's forward 1.1 to 1.9 s, 15 s for the sweep's first
        // (Dynamo's and Inductor's imports, the C++ compiler's first run), the model's forward 19 s and train step
        // 13 s, forward_backward 0.06 to 0.27 s. The Python child's start 2 to 4.5 s. Beyond its iterations a
        // measurement took about 1.3 s (its build, checks, settling iterations, the Python round trip). Eager
        // reaches 0.3 to 0.8 of the fp32 roofline (docs/results/cpu-race.json: the seed model's forward 96 ms at a
        // 68 ms roof, attention d_model=32 seq_len=2048 194 ms at 58 ms). Most small cells ran to max_iters or
        // max_time without meeting the 1 % standard error, as a CV of 10 % predicts. The dispatch floor (5 us an
        // operator) is LibTorch's usual CPU dispatch cost, not measured here: it matters only for tiny cells. On the
        // busy VM an operator at 2 threads took 3 to 9 ms more (the seed model's train step 2.7 to 4.4 s for about 950
        // operators where 0.2 s was quiet, attention d_model=16 seq_len=256 forward 22 ms for 5): the threads' wait
        // for a scheduler time slice, contended_operator_s.
        costs.roofline_efficiency = 0.5;
        costs.operator_s = 5e-6;
        costs.contended_operator_s = 4e-3;
        costs.noise_cv = 0.1;
        costs.settle_iterations = 1.5;
        costs.measurement_overhead_s = 1.0;
        costs.start_s = 2;
        costs.python_start_s = 4;
        costs.first_compile_s = 10;
        costs.torch_compile_s = 1.3;
        costs.torch_compile_cached_share = 0.1;
        costs.torchscript_s = 0.01;
        costs.aoti_export_s = 9.5;
        costs.aoti_export_scaled_s = 1.35;
        costs.aoti_cached_share = 0.7;
        break;
    case Device::cuda:
        // From the H100 and H200 runs in docs/results (torch 2.11, one GPU). Operators: eager's seed TransformerLM
        // train step, 11.4 ms for about 950 operators, and its forward, 2.6 ms for about 230 (12 us each, host
        // bound); a CUDA graph replays them five times faster (1.9 ms). torch.compile: attention's forward 0.6 to
        // 0.9 s (2.4 s for the sweep's first), the model's forward 4.1 s and train step 11.7 s
        // (h200/quick-race.json). Exports: 7 s for attention's forward, 24 s for the model's train step, eight
        // exporters at once (h200/aoti-export-seed.txt). What the H200 quick race leaves beside its timed
        // iterations (5.4 s) and compiles (36 s) in its 68 s: about 27 s for the start, the Python child and 126
        // measurements' builds and checks.
        costs.roofline_efficiency = 0.5;
        costs.operator_s = 12e-6;
        costs.noise_cv = 0.02;
        costs.measurement_overhead_s = 0.15;
        costs.start_s = 3;
        costs.python_start_s = 5;
        costs.first_compile_s = 1.7;
        costs.torch_compile_s = 0.7;
        costs.torch_compile_cached_share = 0.1;
        costs.torchscript_s = 0.05;
        costs.aoti_export_s = 7;
        costs.aoti_export_scaled_s = 1.3;
        break;
    }
    return costs;
}

} // namespace compilescope::engine
