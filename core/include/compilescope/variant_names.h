// Every built-in variant's name and traits, in one place (LibTorch-free): the engine builds them, reports, charts,
// validation and the front ends recognise them by these fields, never by a substring of the name.
#pragma once

#include <string>
#include <vector>

namespace compilescope {

/// The C++ eager baseline: every variant is checked against it, and by default every speedup is relative to it.
inline constexpr const char* eager_variant = "eager";
/// The model scripted by torch::jit (NNC fusion where the build has it).
inline constexpr const char* torchscript_variant = "torchscript";
/// Eager with attention through at::scaled_dot_product_attention (flash / memory-efficient kernels).
inline constexpr const char* fused_sdpa_variant = "fused-sdpa";
/// Each phase captured once into a CUDA graph and replayed (CUDA only).
inline constexpr const char* cuda_graph_variant = "cuda-graph";
inline constexpr const char* cuda_graph_fused_sdpa_variant = "cuda-graph+fused-sdpa";
inline constexpr const char* cuda_graph_torchscript_fused_sdpa_variant = "cuda-graph+torchscript+fused-sdpa";
/// Inductor's code from C++: an AOTInductor package per (cell, phase), made by tools/reference/aoti_export.py and run
/// by torch::inductor::AOTIModelPackageLoader.
inline constexpr const char* aot_inductor_variant = "aot-inductor";
/// The same package's runner captured in a CUDA graph (CUDA only).
inline constexpr const char* cuda_graph_aot_inductor_variant = "cuda-graph+aot-inductor";
/// Python eager, run by the reference script in a child process: the seed report's "Uncompiled".
inline constexpr const char* py_eager_variant = "py-eager";
/// torch.compile (default mode) in that child process: the seed report's "Compiled".
inline constexpr const char* torch_compile_variant = "torch-compile";
/// torch.compile(mode="reduce-overhead"): Inductor's kernels replayed through CUDA graphs (CUDA only).
inline constexpr const char* torch_compile_ro_variant = "torch-compile-ro";

/// What a variant is, as fields. A name this build does not know (a newer run file, a test's own variant) has every
/// trait false.
struct VariantTraits {
    std::string name;
    bool python = false; ///< measured by the Python reference script in a child process
    bool torchscript = false; ///< runs the model through torch::jit
    bool fused_sdpa = false; ///< attention through at::scaled_dot_product_attention (its backend is a setting)
    bool cuda_graph = false; ///< captured into a CUDA graph and replayed (CUDA only)
    bool aot_inductor = false; ///< runs an exported AOTInductor package: the sweep exports it first
    bool compiles = false; ///< building it compiles or captures, so its first-call time is reported as compile_ms
};

/// Every built-in variant, eager first, in display order.
const std::vector<VariantTraits>& builtin_variants();

/// The traits of `name` (see VariantTraits for unknown names).
VariantTraits variant_traits(const std::string& name);

/// True for aot_inductor_variant and cuda_graph_aot_inductor_variant: the sweep exports their packages first.
bool is_aot_inductor_variant(const std::string& name);

/// The variants the Python reference script runs, in display order.
std::vector<std::string> python_variant_names();

/// True for the variants measured in Python (marked "Python" in tables, charts and reports).
bool is_python_variant(const std::string& name);

/// The name as tables and legends show it: Python variants get " (Python)", e.g. "torch-compile (Python)".
std::string variant_label(const std::string& name);

/// The baselines a speedup may be relative to: eager_variant and py_eager_variant.
std::vector<std::string> speedup_baseline_names();

} // namespace compilescope
