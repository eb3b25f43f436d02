#include "compilescope/presets.h"

namespace compilescope {

namespace {

// The attention grid of the CS336 systems assignment's attention benchmark: batch 8, one head, d_model
// {16..128} x seq_len {256..16384}. 16384 is what makes the quadratic score matrix hurt (8 GiB in fp32).
AttentionConfig cs336_attention()
{
    AttentionConfig attention;
    attention.d_models = { 16, 32, 64, 128 };
    attention.seq_lens = { 256, 1024, 4096, 8192, 16384 };
    attention.batch = 8;
    return attention;
}

// CS336 model sizes share vocab 10000 and batch 4. context_length 256 is our choice, not a number the sizes
// table fixes: the assignment's end-to-end benchmarks sweep the context length, and 256 is a short context that
// still lets the 2.7B model's training step fit one 80 GB GPU in fp32 with AdamW state. seq_len equals
// context_length so the model is timed on full contexts.
ModelConfig cs336_model(int64_t d_model, int64_t d_ff, int64_t num_layers, int64_t num_heads)
{
    ModelConfig model;
    model.vocab_size = 10000;
    model.context_length = 256;
    model.d_model = d_model;
    model.num_layers = num_layers;
    model.num_heads = num_heads;
    model.d_ff = d_ff;
    model.batch = 4;
    model.seq_len = model.context_length;
    return model;
}

std::vector<Preset> make_presets()
{
    // The seed report's configuration (reference/seed-report-mps.md): the default AttentionConfig and
    // ModelConfig are exactly it.
    Preset seed { "seed",
        "The seed report: attention d_model {16..128} x seq_len {256..8192}, batch 8; "
        "TransformerLM 1000/384/192, 3 layers, 6 heads, d_ff 768, batch 6, seq 192",
        AttentionConfig {}, ModelConfig {} };

    auto cs336 = [](const char* name, const char* description, int64_t d_model, int64_t d_ff, int64_t num_layers,
                     int64_t num_heads) {
        return Preset { name, description, cs336_attention(), cs336_model(d_model, d_ff, num_layers, num_heads) };
    };
    return {
        seed,
        cs336("cs336-small",
            "CS336 small: d_model 768, d_ff 3072, 12 layers, 12 heads; vocab 10000, batch 4, "
            "context 256",
            768, 3072, 12, 12),
        cs336("cs336-medium",
            "CS336 medium: d_model 1024, d_ff 4096, 24 layers, 16 heads; vocab 10000, batch 4, "
            "context 256",
            1024, 4096, 24, 16),
        cs336("cs336-large",
            "CS336 large: d_model 1280, d_ff 5120, 36 layers, 20 heads; vocab 10000, batch 4, "
            "context 256",
            1280, 5120, 36, 20),
        cs336("cs336-xl",
            "CS336 xl: d_model 1600, d_ff 6400, 48 layers, 25 heads; vocab 10000, batch 4, "
            "context 256",
            1600, 6400, 48, 25),
        cs336("cs336-2.7b",
            "CS336 2.7B: d_model 2560, d_ff 10240, 32 layers, 32 heads; vocab 10000, batch 4, "
            "context 256",
            2560, 10240, 32, 32),
    };
}

} // namespace

const std::vector<Preset>& all_presets()
{
    static const std::vector<Preset> presets = make_presets();
    return presets;
}

std::optional<Preset> find_preset(const std::string& name)
{
    for (const Preset& preset : all_presets()) {
        if (preset.name == name)
            return preset;
    }
    return std::nullopt;
}

std::vector<std::string> preset_names()
{
    std::vector<std::string> names;
    for (const Preset& preset : all_presets())
        names.push_back(preset.name);
    return names;
}

void apply_preset(const Preset& preset, SweepConfig& config)
{
    // The grid and the model only: causal masking is a separate choice the preset does not make.
    config.attention.d_models = preset.attention.d_models;
    config.attention.seq_lens = preset.attention.seq_lens;
    config.attention.batch = preset.attention.batch;
    config.model = preset.model;
    config.preset = preset.name;
}

void apply_quick(SweepConfig& config)
{
    // Four attention cells that still show a small and a larger d_model and sequence; the model stays as
    // configured, since its size is the question being asked. Timing windows are short but adaptive, so noisy
    // cells still get at least min_iters samples.
    config.attention.d_models = { 16, 64 };
    config.attention.seq_lens = { 256, 1024 };
    config.measure.warmup_iters = 1;
    config.measure.fixed_iters = 0;
    config.measure.min_time_s = 0.05;
    config.measure.max_time_s = 0.5;
    // Below min_samples_for_interval on purpose: 10 would make a slow cell take 10 iterations whatever max_time
    // says (min_iters wins), 1.5x the quick sweep's time on a busy 2-core VM (docs/statistics.md). A short
    // measurement says "too few samples" instead; --quick --iters 10 gives every one an interval.
    config.measure.min_iters = 3;
    config.measure.max_iters = 50;
}

} // namespace compilescope
