// What a sweep runs: plain values in, validated by validate_config() before anything runs.
#pragma once

#include "compilescope/statistics.h"
#include "compilescope/types.h"
#include "compilescope/variant_names.h"

#include <cstdint>
#include <string>
#include <vector>

namespace compilescope {

/// Single-head scaled dot-product attention on random Q, K, V of shape (batch, seq_len, d_model).
/// The sweep covers every d_model x seq_len pair.
struct AttentionConfig {
    std::vector<int64_t> d_models { 16, 32, 64, 128 };
    std::vector<int64_t> seq_lens { 256, 1024, 4096, 8192 };
    int64_t batch = 8;
    bool causal = false;
};

/// The CS336 TransformerLM (pre-norm, RMSNorm, causal MHA with RoPE, SwiGLU, untied LM head, AdamW).
/// One model configuration per sweep.
struct ModelConfig {
    int64_t vocab_size = 1000;
    int64_t context_length = 384;
    int64_t d_model = 192;
    int64_t num_layers = 3;
    int64_t num_heads = 6;
    int64_t d_ff = 768;
    int64_t batch = 6;
    int64_t seq_len = 192;
    double rope_theta = 10000.0;
};

/// One size axis of a model file: its name as the file's build() receives it, and the values the sweep covers.
struct ModelAxis {
    std::string name;
    std::vector<int64_t> values;

    bool operator==(const ModelAxis& other) const { return name == other.name && values == other.values; }
};

/// The user's own model: a Python file that names its size axes and builds the module and its inputs at one point
/// of them (the contract: docs/model-files.md). The sweep covers every combination of the axes' values, the last
/// axis varying fastest; charts plot over the first two.
struct ModelFileConfig {
    std::string path; ///< absolute; the file is code, so it must not be writable by other users
    std::vector<ModelAxis> axes; ///< in the file's order (its AXES), values as the sweep chose them

    bool operator==(const ModelFileConfig& other) const { return path == other.path && axes == other.axes; }
};

/// How each (cell, phase, variant) is timed. With fixed_iters > 0 exactly that many timed iterations run;
/// otherwise iterations run until min_time_s has passed and min_iters are done, then stop as soon as the
/// standard error of the mean falls below target_rel_error of the mean, or max_time_s / max_iters is reached
/// (never before min_iters: a slow cell still gets a spread and a confidence interval).
struct MeasureConfig {
    int warmup_iters = 3;
    int fixed_iters = 0;
    double min_time_s = 0.5;
    double max_time_s = 10.0;
    /// An interval needs this many samples on a side (statistics.h): fewer, and every speedup says "too few samples".
    int min_iters = min_samples_for_interval;
    int max_iters = 1000;
    double target_rel_error = 0.01;
    /// A measurement whose coefficient of variation exceeds this is flagged noisy.
    double noise_cv_threshold = 0.05;
    /// CUDA only: overwrite a buffer twice the size of the L2 cache before every timed iteration, so each one
    /// starts with a cold cache (as a training step after the rest of the model would).
    bool flush_l2 = false;
    /// After the timed iterations (never inside them), run profile_iters more under LibTorch's profiler (Kineto)
    /// to count kernels (CUDA) or operators (CPU), the device's busy share and the top kernels: see ProfileSummary.
    bool profile = false;
    int profile_iters = 5;
    /// The C++ variants of a cell and phase are timed in turns, one iteration each (eager, a, b, eager, a, b, ...),
    /// so drift on a shared machine (another job, a frequency change) lands on every variant alike and cancels out
    /// of their ratios. Python variants run in their own process, one after another. Runs saved before this
    /// existed were timed one variant after another (false when the field is absent).
    bool interleave = true;
};

struct SweepConfig {
    std::vector<Workload> workloads { Workload::attention, Workload::transformer_lm };
    AttentionConfig attention;
    ModelConfig model;
    /// Workload::model_file only.
    ModelFileConfig model_file;
    /// Variant names (see list_variants()); "eager" comes first: every variant is checked against it.
    std::vector<std::string> variants { eager_variant, torchscript_variant };
    /// The variant every speedup is relative to: "eager" (C++), or "py-eager" (Python eager, as the seed report
    /// has it); it must be one of `variants`. Correctness is always checked against C++ eager.
    std::string speedup_baseline = eager_variant;
    /// The Python that runs the Python variants (py-eager, torch-compile, torch-compile-ro); empty: the one the
    /// build recorded (the Python that owns the linked LibTorch).
    std::string python;
    /// The AdamW of the Python variants' train step.
    PythonAdamW python_adamw = PythonAdamW::multi_tensor;
    /// Where the AOTInductor variants' packages live (made by that Python's torch); empty: the default cache,
    /// $XDG_CACHE_HOME/compilescope/aoti. Packages are code: only this directory's are loaded.
    std::string aoti_cache;
    /// Where profiled passes leave their Chrome traces (one JSON file per measurement, opens in Perfetto); empty:
    /// traces are analysed and deleted. Only with measure.profile.
    std::string trace_dir;
    /// Packages exported at once before the sweep measures (each export is one Python process); 0: half the cores.
    int aoti_jobs = 0;
    /// Seconds one package's export may take before its exporter is stopped and the variant is unavailable for that
    /// cell: about 3 minutes at the largest seed sizes on an H200, about one on 2 CPU cores; a big model on a slow
    /// machine needs more, a quick look less.
    int aoti_timeout_s = 1800;
    /// Empty: every phase of each workload. Otherwise only these (phases a workload lacks are ignored).
    std::vector<Phase> phases;
    Device device = Device::cpu;
    Dtype dtype = Dtype::fp32;
    /// Intra-op threads for LibTorch; 0 keeps LibTorch's default.
    int threads = 0;
    AllocatorPolicy allocator = AllocatorPolicy::keep;
    /// Backend allowed to the variants built on at::scaled_dot_product_attention (fused-sdpa and compositions).
    SdpaBackend sdpa_backend = SdpaBackend::auto_select;
    uint64_t seed = 0;
    MeasureConfig measure;
    /// Cells whose memory estimate exceeds this are skipped. 0: the memory the device reports available.
    int64_t memory_limit_bytes = 0;
    /// Name of the preset the configuration started from, for the report ("" if none).
    std::string preset;
};

/// A per-user base folder by the XDG rules: $`variable` when it is an absolute path (a relative one is ignored, as
/// the XDG spec says), else HOME/`under_home`, HOME being $HOME when absolute, else the password database's. ""
/// when there is none: never a folder other users share, such as /tmp.
std::string xdg_base_directory(const char* variable, const char* under_home);

/// CompileScope's cache: $XDG_CACHE_HOME/compilescope, else ~/.cache/compilescope ("" when there is no home).
std::string cache_directory();

/// Where AOTInductor packages live when SweepConfig::aoti_cache is empty: cache_directory()/aoti ("" when there
/// is no home: then --aoti-cache must say).
std::string default_aoti_cache_directory();

/// The phases this configuration times for one workload, in report order.
std::vector<Phase> selected_phases(const SweepConfig& config, Workload workload);

} // namespace compilescope
