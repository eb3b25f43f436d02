#include "compilescope/presets.h"

#include <catch2/catch.hpp>

using namespace compilescope;

TEST_CASE("presets are listed in order", "[presets]")
{
    CHECK(preset_names()
        == std::vector<std::string> { "seed", "cs336-small", "cs336-medium", "cs336-large", "cs336-xl", "cs336-2.7b" });
    CHECK_FALSE(find_preset("cs336-huge"));
    for (const Preset& preset : all_presets())
        CHECK_FALSE(preset.description.empty());
}

TEST_CASE("seed preset is the seed report's configuration", "[presets]")
{
    const Preset seed = *find_preset("seed");
    CHECK(seed.attention.d_models == std::vector<int64_t> { 16, 32, 64, 128 });
    CHECK(seed.attention.seq_lens == std::vector<int64_t> { 256, 1024, 4096, 8192 });
    CHECK(seed.attention.batch == 8);
    const ModelConfig& model = seed.model;
    CHECK(model.vocab_size == 1000);
    CHECK(model.context_length == 384);
    CHECK(model.d_model == 192);
    CHECK(model.num_layers == 3);
    CHECK(model.num_heads == 6);
    CHECK(model.d_ff == 768);
    CHECK(model.batch == 6);
    CHECK(model.seq_len == 192);
}

TEST_CASE("CS336 presets have the assignment's model sizes", "[presets]")
{
    struct Size {
        const char* name;
        int64_t d_model, d_ff, num_layers, num_heads;
    };
    for (const Size& size : { Size { "cs336-small", 768, 3072, 12, 12 }, Size { "cs336-medium", 1024, 4096, 24, 16 },
             Size { "cs336-large", 1280, 5120, 36, 20 }, Size { "cs336-xl", 1600, 6400, 48, 25 },
             Size { "cs336-2.7b", 2560, 10240, 32, 32 } }) {
        INFO(size.name);
        const Preset preset = *find_preset(size.name);
        CHECK(preset.model.d_model == size.d_model);
        CHECK(preset.model.d_ff == size.d_ff);
        CHECK(preset.model.num_layers == size.num_layers);
        CHECK(preset.model.num_heads == size.num_heads);
        CHECK(preset.model.vocab_size == 10000);
        CHECK(preset.model.batch == 4);
        CHECK(preset.model.context_length == 256);
        CHECK(preset.model.seq_len == preset.model.context_length);
        CHECK(preset.attention.d_models == std::vector<int64_t> { 16, 32, 64, 128 });
        CHECK(preset.attention.seq_lens == std::vector<int64_t> { 256, 1024, 4096, 8192, 16384 });
        CHECK(preset.attention.batch == 8);
    }
}

TEST_CASE("apply_preset sets grid and model, nothing else", "[presets]")
{
    SweepConfig config;
    config.attention.causal = true;
    config.threads = 2;
    config.variants = { "eager" };
    apply_preset(*find_preset("cs336-xl"), config);
    CHECK(config.preset == "cs336-xl");
    CHECK(config.model.d_model == 1600);
    CHECK(config.attention.seq_lens.back() == 16384);
    CHECK(config.attention.causal);
    CHECK(config.threads == 2);
    CHECK(config.variants == std::vector<std::string> { "eager" });
}

TEST_CASE("apply_quick shrinks grid and timing, keeps the model", "[presets]")
{
    SweepConfig config;
    apply_preset(*find_preset("cs336-small"), config);
    config.measure.fixed_iters = 100;
    apply_quick(config);
    CHECK(config.attention.d_models == std::vector<int64_t> { 16, 64 });
    CHECK(config.attention.seq_lens == std::vector<int64_t> { 256, 1024 });
    CHECK(config.measure.warmup_iters == 1);
    CHECK(config.measure.fixed_iters == 0);
    CHECK(config.measure.min_time_s == 0.05);
    CHECK(config.measure.max_time_s == 0.5);
    CHECK(config.measure.min_iters == 3);
    CHECK(config.measure.max_iters == 50);
    CHECK(config.model.d_model == 768);
    CHECK(config.preset == "cs336-small");
}
