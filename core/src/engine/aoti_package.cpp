#include "engine/aoti_package.h"

#include "checked_directory.h"
#include "compilescope/engine/environment.h"
#include "engine/variant.h"

#include <torch/csrc/inductor/aoti_package/model_package_loader.h>
#include <torch/version.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdio>
#include <optional>
#include <stdexcept>
#include <sys/stat.h>

namespace compilescope::engine {

namespace {

using Json = nlohmann::json;

std::string dtype_name(torch::ScalarType type)
{
    switch (type) {
    case torch::kFloat:
        return "float32";
    case torch::kBFloat16:
        return "bfloat16";
    case torch::kHalf:
        return "float16";
    case torch::kLong:
        return "int64";
    case torch::kBool:
        return "bool";
    default:
        throw std::invalid_argument(
            std::string("the AOTInductor exporter takes no tensors of type ") + c10::toString(type));
    }
}

/// FNV-1a: a stable hash for cache keys (std::hash may differ between builds).
uint64_t stable_hash(const std::string& text)
{
    uint64_t hash = 14695981039346656037ull;
    for (unsigned char c : text) {
        hash = (hash ^ c) * 1099511628211ull;
    }
    return hash;
}

/// The machine a package's code is built for: its CPU model, or its GPU.
std::string device_model(Device device)
{
    static const Environment environment = collect_environment();
    return device == Device::cuda ? environment.gpu_name : environment.cpu_model;
}

/// meta.json is a few KiB; anything far larger is not one the exporter wrote.
constexpr std::int64_t max_meta_bytes = 1 << 20;

std::string not_private(const UntrustedPath& error)
{
    return std::string("is not loaded: ") + error.what()
        + "; packages are code, so only folders and files that you alone can change are used";
}

[[noreturn]] void refuse(const AotiPackageRequest& request, const std::string& why)
{
    throw VariantUnavailable("the AOTInductor package of " + request.label + " in " + request.directory + " " + why);
}

} // namespace

bool is_linked_torch(const std::string& version)
{
    return version.substr(0, version.find('+')) == TORCH_VERSION; // the local part (+cpu, +cu130) may differ
}

void check_package_cache(const std::string& cache)
{
    if (cache.empty()) {
        throw std::runtime_error("there is no AOTInductor package cache: neither XDG_CACHE_HOME nor HOME is an "
                                 "absolute path and the password database names no home; choose one with "
                                 "--aoti-cache");
    }
    try {
        CheckedDirectory::open(cache, /*create=*/true);
    } catch (const UntrustedPath& error) {
        throw std::runtime_error("the AOTInductor package cache " + cache + " is not safe: " + error.what()
            + "; packages are code, so only a cache that you alone can change is used (chmod go-w, or choose "
              "another with --aoti-cache)");
    } catch (const std::exception& error) {
        throw std::runtime_error("cannot use the AOTInductor package cache " + cache + ": " + error.what());
    }
}

AotiPackageRequest aoti_package_request(const PhaseInputs& inputs, const std::string& cache)
{
    const Cell& cell = inputs.cell;
    Json tensors = Json::array();
    for (const NamedTensor& named : named_inputs(inputs)) {
        tensors.push_back({ { "name", named.name }, { "shape", named.tensor.sizes().vec() },
            { "dtype", dtype_name(named.tensor.scalar_type()) } });
    }
    const Json spec { { "workload", to_string(cell.workload) }, { "phase", to_string(inputs.phase) },
        { "device", to_string(cell.device) }, { "dtype", to_string(cell.dtype) }, { "scale", inputs.scale },
        { "heads", cell.workload == Workload::transformer_lm ? cell.model.num_heads : 1 }, { "inputs", tensors } };

    AotiPackageRequest request;
    request.spec = spec.dump();
    request.label = cell.label() + " " + to_string(inputs.phase);
    const std::string key = request.spec + "|libtorch " + TORCH_VERSION + "|exporter "
        + std::to_string(aoti_exporter_version) + "|" + device_model(cell.device);
    char hash[17];
    std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(stable_hash(key)));
    request.cache = cache;
    request.relative = std::string("torch-") + TORCH_VERSION + "/" + to_string(cell.workload) + "-"
        + to_string(inputs.phase) + "-" + to_string(cell.device) + "-" + to_string(cell.dtype) + "-b"
        + std::to_string(cell.batch) + "-d" + std::to_string(cell.d_model) + "-s" + std::to_string(cell.seq_len) + "-"
        + hash;
    request.directory = cache + "/" + request.relative;
    return request;
}

bool aoti_package_cached(const AotiPackageRequest& request)
{
    struct stat status { };
    return ::lstat((request.directory + "/meta.json").c_str(), &status) == 0 && S_ISREG(status.st_mode);
}

std::vector<torch::Tensor> AotiGraph::run(const std::vector<torch::Tensor>& args) const
{
    return loader->run(args);
}

const AotiGraph& AotiPackage::graph(const std::string& name) const
{
    for (const AotiGraph& graph : graphs) {
        if (graph.name == name) {
            return graph;
        }
    }
    throw std::runtime_error("the AOTInductor package has no graph named " + name);
}

AotiPackage load_aoti_package(const AotiPackageRequest& request)
{
    std::optional<CheckedDirectory> folder;
    Json meta;
    try {
        folder = CheckedDirectory::open(request.cache, /*create=*/false).subdirectory(request.relative, false);
        meta = Json::parse(folder->read_file("meta.json", max_meta_bytes), nullptr, /*allow_exceptions=*/false);
    } catch (const UntrustedPath& error) {
        refuse(request, not_private(error));
    } catch (const std::exception& error) {
        refuse(
            request, "is missing or unreadable (" + std::string(error.what()) + "); its export failed or has not run");
    }
    if (meta.is_discarded() || !meta.is_object() || !meta.contains("graphs") || !meta.contains("spec")) {
        refuse(request,
            "is corrupt (meta.json is not what the exporter writes); delete that directory to export "
            "it again");
    }
    AotiPackage package;
    try {
        package.torch_version = meta.at("torch").get<std::string>();
        if (meta.at("exporter_version").get<int>() != aoti_exporter_version) {
            refuse(request,
                "was made by exporter version " + meta.at("exporter_version").dump() + ", this is "
                    + std::to_string(aoti_exporter_version));
        }
        if (!is_linked_torch(package.torch_version)) {
            refuse(request,
                "was made by torch " + package.torch_version + ", but this build links LibTorch " + TORCH_VERSION
                    + ": a package runs only with the torch that made it");
        }
        Json spec = meta.at("spec");
        spec.erase("directory");
        spec.erase("threads");
        if (spec != Json::parse(request.spec)) {
            refuse(request, "was made for other inputs than this cell's (its meta.json says " + spec.dump() + ")");
        }
        package.created = meta.value("created", "");
        package.export_ms = meta.at("export_ms").get<double>();
        package.compile_ms = meta.at("compile_ms").get<double>();
        for (const Json& entry : meta.at("graphs")) {
            AotiGraph graph;
            graph.name = entry.at("name").get<std::string>();
            graph.inputs = entry.at("inputs").get<std::vector<std::string>>();
            graph.outputs = entry.at("outputs").get<std::vector<std::string>>();
            const std::string file = entry.at("file").get<std::string>();
            if (!is_single_component(file)) {
                refuse(
                    request, "is refused: its meta.json names \"" + file + "\", which is not a file of its own folder");
            }
            // The loader takes a path: give it the descriptor that was checked, so the file it reads is that one.
            const FileDescriptor checked = folder->open_file(file);
            // Single-threaded: the sweep calls one graph at a time, and the model container's locking and events
            // would otherwise run inside every timed call (and inside a CUDA graph capture).
            graph.loader = std::make_shared<torch::inductor::AOTIModelPackageLoader>(
                checked.proc_path(), "model", /*run_single_threaded=*/true);
            package.graphs.push_back(std::move(graph));
        }
    } catch (const VariantUnavailable&) {
        throw;
    } catch (const UntrustedPath& error) {
        refuse(request, not_private(error));
    } catch (const c10::Error& error) {
        refuse(request,
            "does not load (" + std::string(error.what_without_backtrace()).substr(0, 300)
                + "); delete that directory to export it again");
    } catch (const std::exception& error) {
        refuse(request,
            "is corrupt (" + std::string(error.what()).substr(0, 300) + "); delete that directory to export it again");
    }
    return package;
}

} // namespace compilescope::engine
