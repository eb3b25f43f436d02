// Vocabulary of the benchmark: what is measured, how, and where. Qt-free and LibTorch-free.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace compilescope {

/// What is measured. model_file: the user's own PyTorch module, built by a Python file (docs/model-files.md).
enum class Workload { attention, transformer_lm, model_file };

/// What is timed. Attention: forward, backward, forward_backward. Model: forward, train_step. Model file: forward,
/// forward_backward, train_step.
enum class Phase { forward, backward, forward_backward, train_step };

enum class Device { cpu, cuda };

/// fp32; tf32 (fp32 storage, TF32 matmuls on CUDA); bf16; fp16.
enum class Dtype { fp32, tf32, bf16, fp16 };

/// keep: freed memory stays in the process (mallopt at start-up), so timed iterations do not page-fault.
/// system: glibc's defaults (large blocks are mmap'd and unmapped on free).
enum class AllocatorPolicy { keep, system };

/// Which kernel scaled dot-product attention may use (variants built on at::scaled_dot_product_attention):
/// auto lets LibTorch choose among all; the others allow only that backend.
enum class SdpaBackend { auto_select, flash, mem_efficient, cudnn, math };

/// The AdamW of the Python variants' train step: torch.optim.AdamW's default multi-tensor ("foreach")
/// implementation, or fused=True (one fused kernel per parameter group).
enum class PythonAdamW { multi_tensor, fused }; // named "foreach" and "fused"; Qt defines a foreach macro

/// ok: timed and checked; failed: an error inside the cell (message says which);
/// skipped: not attempted (e.g. memory estimate too large); unavailable: the variant cannot run here;
/// cancelled: the sweep stopped before this measurement finished.
enum class MeasurementStatus { ok, failed, skipped, unavailable, cancelled };

/// Whether an interval computed from timing samples may be shown (interval_verdict() in statistics.h, the one rule):
/// counts; too_few_samples (a side has fewer than min_samples_for_interval); time_slice_grid (a side's samples sit
/// on the scheduler's time-slice grid, time_slice_grid()).
enum class IntervalVerdict { counts, too_few_samples, time_slice_grid };

// Stable names used on the command line, in JSON and CSV. parse_* return nullopt for unknown names.
std::string to_string(Workload value);
std::string to_string(Phase value);
std::string to_string(Device value);
std::string to_string(Dtype value);
std::string to_string(AllocatorPolicy value);
std::string to_string(SdpaBackend value);
std::string to_string(PythonAdamW value);
std::string to_string(MeasurementStatus value);
std::string to_string(IntervalVerdict value); ///< "counts", "too_few_samples", "time_slice_grid" (the CSV's names)

std::optional<Workload> parse_workload(const std::string& name);
std::optional<Phase> parse_phase(const std::string& name);
std::optional<Device> parse_device(const std::string& name);
std::optional<Dtype> parse_dtype(const std::string& name);
std::optional<AllocatorPolicy> parse_allocator_policy(const std::string& name);
std::optional<SdpaBackend> parse_sdpa_backend(const std::string& name);
std::optional<PythonAdamW> parse_python_adamw(const std::string& name);
std::optional<MeasurementStatus> parse_measurement_status(const std::string& name);

/// Human label for tables and charts: "Forward", "Backward", "Forward+Backward", "Train step".
std::string display_name(Phase value);

/// Every name, in display order (for --help, combos, validation messages).
std::vector<std::string> workload_names();
std::vector<std::string> phase_names();
std::vector<std::string> device_names();
std::vector<std::string> dtype_names();
std::vector<std::string> allocator_policy_names();
std::vector<std::string> sdpa_backend_names();
std::vector<std::string> python_adamw_names();

/// The phases a workload can time, in report order.
std::vector<Phase> phases_of(Workload workload);

} // namespace compilescope
