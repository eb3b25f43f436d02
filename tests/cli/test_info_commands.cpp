// `list`, `env`, `--version` and `--help` through the real binary.
#include "cli_process.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using compilescope::test::run_cli;
using nlohmann::json;

TEST_CASE("list shows workloads with phases, presets with configs, variants per device", "[info]")
{
    const auto text = run_cli({ "list" });
    REQUIRE(text.exit_code == 0);
    for (const auto* expected :
        { "attention", "forward_backward", "transformer_lm", "train_step", "seed", "cs336-small", "cs336-2.7b",
            "vocab_size 10000", "eager", "torchscript", "Variants on cpu", "Variants on cuda", "available" })
        CHECK(text.out.find(expected) != std::string::npos);

    const auto listed = run_cli({ "list", "--json" });
    REQUIRE(listed.exit_code == 0);
    const auto list = json::parse(listed.out);
    CHECK(list["workloads"].size() == 3); // attention, transformer_lm, model_file (--model-file)
    CHECK(list["workloads"][2]["name"] == "model_file");
    CHECK(text.out.find("model_file      forward,forward_backward,train_step  (chosen by --model-file FILE")
        != std::string::npos);
    CHECK(list["presets"].size() == 6);
    CHECK(list["presets"][0]["name"] == "seed");
    CHECK(list["presets"][0]["model"]["d_model"] == 192);
    REQUIRE(list["variants"]["cpu"].size() >= 2);
    CHECK(list["variants"]["cpu"][0]["name"] == "eager");
    CHECK(list["variants"]["cpu"][0]["available"] == true);
    for (const auto& variant : list["variants"]["cuda"]) {
        if (!variant["available"].get<bool>())
            CHECK_FALSE(variant["reason"].get<std::string>().empty());
    }
}

TEST_CASE("env prints every environment field", "[info]")
{
    const std::vector<std::string> fields { "compilescope_version", "git_revision", "libtorch_version",
        "cuda_available", "mps_available", "cuda_version", "cudnn_version", "gpu_name", "gpu_sm_count", "gpu_driver",
        "cpu_model", "cpu_cores", "torch_threads", "blas", "compiler", "build_type", "os", "hostname", "allocator",
        "torchscript_cpu_fusion" };
    const auto text = run_cli({ "env" });
    REQUIRE(text.exit_code == 0);
    for (const auto& field : fields)
        CHECK(text.out.find(field + ":") != std::string::npos);

    const auto as_json = run_cli({ "env", "--json", "--allocator", "system" });
    REQUIRE(as_json.exit_code == 0);
    const auto environment = json::parse(as_json.out);
    for (const auto& field : fields)
        CHECK(environment.contains(field));
    CHECK_FALSE(environment["libtorch_version"].get<std::string>().empty());
    CHECK(environment["allocator"].get<std::string>().rfind("system", 0) == 0);
}

TEST_CASE("version: names the program, the git revision and LibTorch", "[info]")
{
    const auto result = run_cli({ "--version" });
    REQUIRE(result.exit_code == 0);
    CHECK(result.out.rfind("compilescope-cli ", 0) == 0);
    CHECK(result.out.find("(git ") != std::string::npos);
    CHECK(result.out.find("LibTorch ") != std::string::npos);
}

TEST_CASE("every command has help with allowed values and defaults", "[info]")
{
    const auto main_help = run_cli({ "--help" });
    REQUIRE(main_help.exit_code == 0);
    for (const auto* expected : { "run", "report", "list", "env", "Exit codes" })
        CHECK(main_help.out.find(expected) != std::string::npos);

    const auto run_help = run_cli({ "run", "--help" });
    REQUIRE(run_help.exit_code == 0);
    for (const auto* expected : { "--workload", "--preset", "--d-model", "--model-d-model", "--variants", "--phases",
             "--device", "--dtype", "--iters", "--min-time", "--allocator", "--memory-limit-mb", "--markdown",
             "--quiet", "Allowed: cpu, cuda", "16,32,64,128" }) // default display differs across CLI11 versions
        CHECK(run_help.out.find(expected) != std::string::npos);

    for (const auto* command : { "report", "list", "env" }) {
        const auto help = run_cli({ command, "--help" });
        CHECK(help.exit_code == 0);
        CHECK(help.out.find("Usage") != std::string::npos);
    }
}
