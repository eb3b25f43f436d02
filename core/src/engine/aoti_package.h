// AOTInductor packages: what tools/reference/aoti_export.py makes for one (cell, phase), where it lives in the
// package cache, and loading it with torch::inductor::AOTIModelPackageLoader.
#pragma once

#include "compilescope/engine/engine_only.h"

#include "engine/phase_program.h"

#include <memory>
#include <string>
#include <vector>

namespace torch::inductor {
class AOTIModelPackageLoader;
}

namespace compilescope::engine {

/// What a package holds; equal to EXPORTER_VERSION in aoti_export.py, and part of every cache key.
constexpr int aoti_exporter_version = 1;

/// True when `version` (torch.__version__, e.g. "2.13.0+cpu") is the linked LibTorch's release: a package runs
/// only with the torch that made it.
bool is_linked_torch(const std::string& version);

/// Opens the package cache `cache`, creating what is missing (mode 0700), and checks it and every folder above
/// (CheckedDirectory): packages are code, so a cache another user could change is refused. Throws
/// std::runtime_error saying which folder and why.
void check_package_cache(const std::string& cache);

/// One package to make or load: its directory in the cache and what the exporter needs to make it.
struct AotiPackageRequest {
    std::string cache; ///< the cache folder (Cell::aoti_cache)
    std::string relative; ///< torch-<version>/<readable name>-<hash of spec>, below `cache`
    std::string directory; ///< cache/relative
    std::string label; ///< "attention d_model=64 seq_len=256 forward"
    std::string spec; ///< the package's entry in the exporter's SPEC (JSON): workload, phase, shapes, dtypes
};

/// The request for inputs' (cell, phase), in cache directory `cache` (resolved, as Cell::aoti_cache is). The key is
/// the spec (every input's name, shape and dtype, the scale, heads, device, dtype), the LibTorch version, the exporter
/// version and the device model (a package holds code for one CPU's instruction set or one GPU architecture).
AotiPackageRequest aoti_package_request(const PhaseInputs& inputs, const std::string& cache);

/// True when the request's package is in the cache (complete: the exporter renames its directory when done).
bool aoti_package_cached(const AotiPackageRequest& request);

/// One graph of a package, loaded.
struct AotiGraph {
    std::string name; ///< forward, backward or joint
    std::vector<std::string> inputs;
    std::vector<std::string> outputs;
    std::shared_ptr<torch::inductor::AOTIModelPackageLoader> loader;

    /// Runs the graph on the current stream; `args` in the order of `inputs`.
    std::vector<torch::Tensor> run(const std::vector<torch::Tensor>& args) const;
};

struct AotiPackage {
    std::vector<AotiGraph> graphs;
    std::string torch_version; ///< of the exporter
    std::string created; ///< when it was exported
    double export_ms = 0; ///< torch.export (and make_fx / partitioning)
    double compile_ms = 0; ///< Inductor's compile and packaging

    /// The graph named `name`; throws when the package has none.
    const AotiGraph& graph(const std::string& name) const;
};

/// Loads the request's package from the cache. Every folder from the root down and every file is checked as it is
/// opened (CheckedDirectory), and each graph's package is loaded through the descriptor that was checked, so
/// nothing can be swapped in between. Throws VariantUnavailable, with the directory and what to do, when it is
/// missing, corrupt, not private to this user, names a file outside its folder, was made by another torch than the
/// linked LibTorch, or was made for other inputs.
AotiPackage load_aoti_package(const AotiPackageRequest& request);

} // namespace compilescope::engine
