#include "engine/aoti_package.h"

#include "compilescope/environment.h"
#include "engine/variant.h"

#include <torch/csrc/inductor/aoti_package/model_package_loader.h>
#include <torch/version.h>

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

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

[[noreturn]] void refuse(const AotiPackageRequest& request, const std::string& why)
{
    throw VariantUnavailable("the AOTInductor package of " + request.label + " in " + request.directory + " " + why);
}

} // namespace

bool is_linked_torch(const std::string& version)
{
    return version.substr(0, version.find('+')) == TORCH_VERSION; // the local part (+cpu, +cu130) may differ
}

void ensure_private_directory(const std::string& directory)
{
    for (size_t slash = directory.find('/', 1);; slash = directory.find('/', slash + 1)) {
        const std::string prefix = directory.substr(0, slash);
        if (::mkdir(prefix.c_str(), 0700) != 0 && errno != EEXIST) {
            throw std::runtime_error(
                "cannot create the AOTInductor package cache " + prefix + ": " + std::strerror(errno));
        }
        if (slash == std::string::npos) {
            break;
        }
    }
    struct stat status { };
    if (::stat(directory.c_str(), &status) != 0 || !S_ISDIR(status.st_mode)) {
        throw std::runtime_error("the AOTInductor package cache " + directory + " is not a directory");
    }
    if (status.st_uid != ::geteuid() || (status.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
        throw std::runtime_error("the AOTInductor package cache " + directory
            + " is writable by other users or owned by another; packages are code, so only a directory private "
              "to you is used (chmod go-w, or choose another with --aoti-cache)");
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
    request.directory = cache + "/torch-" + TORCH_VERSION + "/" + to_string(cell.workload) + "-"
        + to_string(inputs.phase) + "-" + to_string(cell.device) + "-" + to_string(cell.dtype) + "-b"
        + std::to_string(cell.batch) + "-d" + std::to_string(cell.d_model) + "-s" + std::to_string(cell.seq_len) + "-"
        + hash;
    return request;
}

bool aoti_package_cached(const AotiPackageRequest& request)
{
    struct stat status { };
    return ::stat((request.directory + "/meta.json").c_str(), &status) == 0;
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
    std::ifstream file(request.directory + "/meta.json");
    if (!file) {
        refuse(request, "is missing (its export failed or has not run)");
    }
    const Json meta = Json::parse(file, nullptr, /*allow_exceptions=*/false);
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
            const std::string path = request.directory + "/" + entry.at("file").get<std::string>();
            // Single-threaded: the sweep calls one graph at a time, and the model container's locking and events
            // would otherwise run inside every timed call (and inside a CUDA graph capture).
            graph.loader = std::make_shared<torch::inductor::AOTIModelPackageLoader>(
                path, "model", /*run_single_threaded=*/true);
            package.graphs.push_back(std::move(graph));
        }
    } catch (const VariantUnavailable&) {
        throw;
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
