// The names of the variants that the rest of the code must recognise, in one place (LibTorch-free).
#pragma once

#include <string>
#include <vector>

namespace compilescope {

/// The C++ eager baseline: every variant is checked against it, and by default every speedup is relative to it.
inline constexpr const char* eager_variant = "eager";
/// Python eager, run by the reference script in a child process: the seed report's "Uncompiled".
inline constexpr const char* py_eager_variant = "py-eager";
/// torch.compile (default mode) in that child process: the seed report's "Compiled".
inline constexpr const char* torch_compile_variant = "torch-compile";
/// torch.compile(mode="reduce-overhead"): Inductor's kernels replayed through CUDA graphs (CUDA only).
inline constexpr const char* torch_compile_ro_variant = "torch-compile-ro";

/// Inductor's code from C++: an AOTInductor package per (cell, phase), made by tools/reference/aoti_export.py and run
/// by torch::inductor::AOTIModelPackageLoader.
inline constexpr const char* aot_inductor_variant = "aot-inductor";
/// The same package's runner captured in a CUDA graph (CUDA only).
inline constexpr const char* cuda_graph_aot_inductor_variant = "cuda-graph+aot-inductor";

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
