#include "compilescope/engine/variants.h"
#include "engine/correctness.h"
#include "engine/torchscript_variant.h"
#include "engine/variant_registry.h"

#include <catch2/catch.hpp>

using namespace compilescope;
using namespace compilescope::engine;

namespace {

/// The procedure of a sweep in short: warm up (TorchScript optimizes on its second call), then one call from the
/// initial state whose tensors are compared.
std::vector<NamedTensor> checked_results(const Variant& variant, const PhaseInputs& inputs)
{
    const PhaseProgram program = variant.build(inputs);
    for (int i = 0; i < 1 + program.min_warmup_iters; ++i) {
        if (program.setup) {
            program.setup();
        }
        program.step();
    }
    if (program.reset) {
        program.reset();
    }
    if (program.setup) {
        program.setup();
    }
    program.step();
    return program.results();
}

void check_torchscript_equals_eager(const Cell& cell, Phase phase)
{
    const PhaseInputs inputs = make_phase_inputs(cell, phase);
    const std::vector<NamedTensor> eager = checked_results(*find_variant("eager"), inputs);
    const std::vector<NamedTensor> script = checked_results(*find_variant("torchscript"), inputs);
    const CorrectnessCheck check = check_results(inputs, eager, script);
    INFO(cell.label() << " " << to_string(phase) << ": " << check.detail);
    CHECK(check.passed);
    CHECK(check.max_rel_error < 1e-5);
    CHECK(eager.size() == script.size());
}

} // namespace

TEST_CASE("TorchScript equals eager in outputs and gradients of every attention phase", "[engine][torchscript]")
{
    for (bool causal : { false, true }) {
        Cell cell;
        cell.workload = Workload::attention;
        cell.batch = 2;
        cell.d_model = 8;
        cell.seq_len = 16;
        cell.causal = causal;
        for (Phase phase : { Phase::forward, Phase::backward, Phase::forward_backward }) {
            check_torchscript_equals_eager(cell, phase);
        }
    }
}

TEST_CASE("TorchScript equals eager in logits, loss, gradients and updated parameters", "[engine][torchscript]")
{
    Cell cell;
    cell.workload = Workload::transformer_lm;
    cell.model.vocab_size = 40;
    cell.model.d_model = 16;
    cell.model.num_layers = 2;
    cell.model.num_heads = 4;
    cell.model.d_ff = 24;
    cell.model.batch = 2;
    cell.model.seq_len = 6;
    cell.batch = 2;
    cell.d_model = 16;
    cell.seq_len = 6;
    cell.seed = 11;
    for (Phase phase : { Phase::forward, Phase::train_step }) {
        check_torchscript_equals_eager(cell, phase);
    }
}

TEST_CASE("TorchScript reports which fusion groups formed, or why none did", "[engine][torchscript]")
{
    Cell cell;
    cell.batch = 1;
    cell.d_model = 8;
    cell.seq_len = 8;
    const PhaseInputs inputs = make_phase_inputs(cell, Phase::forward_backward);
    const PhaseProgram program = find_variant("torchscript")->build(inputs);
    REQUIRE(program.inspect);
    for (int i = 0; i < 1 + program.min_warmup_iters; ++i) {
        program.setup();
        program.step();
    }
    const std::vector<std::string> notes = program.inspect();
    REQUIRE(notes.size() == 1);
    INFO(notes.front());
    if (torchscript_cpu_fusion().fuses) {
        CHECK_THAT(notes.front(), Catch::Contains("forward graph"));
    } else {
        CHECK_THAT(notes.front(), Catch::StartsWith("TorchScript: no fusion groups formed (NNC cannot fuse"));
    }
}

TEST_CASE("list_variants: eager first, TorchScript with its CPU caveat, CUDA per the build", "[engine][variants]")
{
    const std::vector<VariantInfo> cpu = list_variants(Device::cpu);
    REQUIRE(cpu.size() >= 2);
    CHECK(cpu[0].name == "eager");
    CHECK(cpu[0].available);
    CHECK(cpu[1].name == "torchscript");
    CHECK(cpu[1].available);
    CHECK_FALSE(cpu[1].description.empty());
    CHECK(cpu[1].reason.empty() == torchscript_cpu_fusion().fuses);
    CHECK_FALSE(torchscript_cpu_fusion().detail.empty());
    for (const VariantInfo& info : list_variants(Device::cuda)) {
        INFO(info.name << ": " << info.reason);
        CHECK(info.available == cuda_available());
        // A Python variant's note names its Python even when available.
        if (!info.traits.python)
            CHECK(info.reason.empty() == cuda_available());
    }
}
