// The configuration panel: what goes in comes out, sliders snap to powers of two, bad input disables Run.
#include <catch2/catch.hpp>

#include "capabilities.h"
#include "compilescope/presets.h"
#include "config_panel.h"
#include "machine.h"
#include "main_window.h"
#include "run_controls.h"
#include "run_estimate.h"
#include "sweep_axis_editor.h"
#include "test_support.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLayout>
#include <QLineEdit>
#include <QScrollArea>
#include <QScrollBar>
#include <QSlider>
#include <QSpinBox>
#include <QTest>
#include <QToolButton>
#include <QWheelEvent>

using namespace compilescope;

namespace {

const Capabilities& capabilities()
{
    static const Capabilities cached = machine().capabilities();
    return cached;
}

} // namespace

TEST_CASE("a first launch ticks every variant the build can run, the Python ones marked", "[ui][config]")
{
    ConfigPanel panel;
    panel.setCapabilities(capabilities());
    std::vector<std::string> available;
    for (const VariantInfo& variant : capabilities().variants(Device::cpu)) {
        if (variant.available)
            available.push_back(variant.name);
    }
    CHECK(panel.config().variants == available);
    const auto* box = panel.findChild<QCheckBox*>(QStringLiteral("variant.torch-compile"));
    REQUIRE(box != nullptr);
    CHECK(box->text() == QStringLiteral("torch-compile (Python)"));
}

TEST_CASE("config panel round-trips a configuration", "[ui][config]")
{
    ConfigPanel panel;
    panel.setCapabilities(capabilities());

    SweepConfig in;
    in.workloads = { Workload::attention, Workload::transformer_lm };
    in.attention.d_models = { 32, 128, 512 };
    in.attention.seq_lens = { 64, 300, 4096 }; // 300: lists take any positive value, only the slider snaps
    in.attention.batch = 3;
    in.attention.causal = true;
    in.model = { 5000, 256, 128, 2, 4, 512, 2, 128, 5000.0 };
    in.variants = { "eager", "torchscript", "py-eager", "torch-compile" };
    in.speedup_baseline = "py-eager";
    in.python = "/usr/bin/python3";
    in.python_adamw = PythonAdamW::fused;
    in.aoti_cache = "/tmp/packages";
    in.aoti_jobs = 3;
    in.phases = { Phase::forward, Phase::train_step };
    in.device = Device::cpu;
    in.dtype = Dtype::bf16;
    in.sdpa_backend = SdpaBackend::cudnn;
    in.threads = 2;
    in.allocator = AllocatorPolicy::system; // not on the panel: must survive untouched
    in.seed = 1234;
    in.measure.warmup_iters = 7;
    in.measure.fixed_iters = 0;
    in.measure.min_time_s = 1.25;
    in.measure.max_iters = 321;
    in.memory_limit_bytes = 1 << 30;

    panel.setConfig(in);
    const SweepConfig out = panel.config();

    CHECK(out.workloads == in.workloads);
    CHECK(out.attention.d_models == in.attention.d_models);
    CHECK(out.attention.seq_lens == in.attention.seq_lens);
    CHECK(out.attention.batch == 3);
    CHECK(out.attention.causal);
    CHECK(out.model.vocab_size == 5000);
    CHECK(out.model.context_length == 256);
    CHECK(out.model.d_model == 128);
    CHECK(out.model.num_layers == 2);
    CHECK(out.model.num_heads == 4);
    CHECK(out.model.d_ff == 512);
    CHECK(out.model.batch == 2);
    CHECK(out.model.seq_len == 128);
    CHECK(out.model.rope_theta == Approx(5000.0));
    CHECK(out.variants == in.variants);
    CHECK(out.speedup_baseline == "py-eager");
    CHECK(out.python == "/usr/bin/python3");
    CHECK(out.python_adamw == PythonAdamW::fused);
    CHECK(out.aoti_cache == "/tmp/packages");
    CHECK(out.aoti_jobs == 3);
    CHECK(out.phases == in.phases);
    CHECK(out.device == Device::cpu);
    CHECK(out.dtype == Dtype::bf16);
    CHECK(out.sdpa_backend == SdpaBackend::cudnn);
    CHECK(out.threads == 2);
    CHECK(out.allocator == AllocatorPolicy::system);
    CHECK(out.seed == 1234);
    CHECK(out.measure.warmup_iters == 7);
    CHECK(out.measure.fixed_iters == 0);
    CHECK(out.measure.min_time_s == Approx(1.25));
    CHECK(out.measure.max_iters == 321);
    CHECK(out.memory_limit_bytes == (1 << 30));
    CHECK(out.preset.empty()); // the values match no preset

    SECTION("every phase selected means the core's default (all phases)")
    {
        in.phases.clear();
        panel.setConfig(in);
        CHECK(panel.config().phases.empty());
    }
    SECTION("choosing a preset applies its grid and model and names it")
    {
        SweepConfig seed = in;
        seed.attention = AttentionConfig {};
        seed.model = ModelConfig {};
        panel.setConfig(seed);
        CHECK(panel.config().preset == "seed");
    }
}

TEST_CASE("sliders snap to powers of two and pick the point that + adds", "[ui][config]")
{
    CHECK(SweepAxisEditor::snapToPowerOfTwo(100, 16, 1024) == 128);
    CHECK(SweepAxisEditor::snapToPowerOfTwo(90, 16, 1024) == 64);
    CHECK(SweepAxisEditor::snapToPowerOfTwo(3, 16, 1024) == 16);
    CHECK(SweepAxisEditor::snapToPowerOfTwo(100000, 64, 16384) == 16384);
    CHECK(SweepAxisEditor::snapToPowerOfTwo(4096, 64, 16384) == 4096);

    SweepAxisEditor editor(QStringLiteral("d_model"), 4, 10);
    editor.setSliderValue(100);
    CHECK(editor.sliderValue() == 128);
    editor.setSliderValue(5000);
    CHECK(editor.sliderValue() == 1024);

    editor.setValues({ 16, 32, 64 });
    CHECK(editor.sliderValue() == 64); // follows the list's last value
    // A user step on the slider picks a point and leaves the list alone (issue 12, item 10).
    editor.slider()->triggerAction(QAbstractSlider::SliderSingleStepAdd);
    CHECK(editor.sliderValue() == 128);
    CHECK(editor.values() == std::vector<int64_t> { 16, 32, 64 });

    CHECK(SweepAxisEditor::parseList(QStringLiteral(" 16, 32 ,64 128")) == std::vector<int64_t> { 16, 32, 64, 128 });
    CHECK_FALSE(SweepAxisEditor::parseList(QStringLiteral("16,abc")).has_value());
    CHECK_FALSE(SweepAxisEditor::parseList(QStringLiteral("16,-32")).has_value());
}

TEST_CASE("inline validation disables Run and says why", "[ui][config]")
{
    MainWindow window;
    REQUIRE(test::waitUntil([&] { return window.hasCapabilities(); }, 60000));
    ConfigPanel* panel = window.configPanel();
    QAction* run = window.runControls()->runAction();

    SweepConfig config = test::tinySweep();
    config.workloads = { Workload::attention, Workload::transformer_lm };
    panel->setConfig(config);
    REQUIRE(panel->isValid());
    CHECK(run->isEnabled());

    SECTION("heads that do not divide d_model")
    {
        panel->findChild<QSpinBox*>(QStringLiteral("model.num_heads"))->setValue(5);
        CHECK_FALSE(panel->isValid());
        CHECK_FALSE(run->isEnabled());
        CHECK(panel->validationMessage().contains(QStringLiteral("num_heads")));
        CHECK(run->toolTip() == panel->validationMessage());
        panel->findChild<QSpinBox*>(QStringLiteral("model.num_heads"))->setValue(6);
        CHECK(panel->isValid());
        CHECK(run->isEnabled());
    }
    SECTION("the L2 flush is offered on CUDA only")
    {
        auto* flush = panel->findChild<QCheckBox*>(QStringLiteral("timing.flush_l2"));
        CHECK_FALSE(flush->isEnabled());
        flush->setChecked(true);
        CHECK_FALSE(panel->config().measure.flush_l2);
        CHECK(run->isEnabled());
    }
    SECTION("seq_len longer than the context")
    {
        panel->findChild<QSpinBox*>(QStringLiteral("model.seq_len"))->setValue(1000);
        CHECK_FALSE(run->isEnabled());
        CHECK(panel->validationMessage().contains(QStringLiteral("seq_len")));
    }
    SECTION("a sweep list that does not parse")
    {
        QLineEdit* list = panel->dModelEditor()->listEdit();
        list->setText(QStringLiteral("16,x"));
        Q_EMIT list->textEdited(list->text());
        CHECK_FALSE(run->isEnabled());
        CHECK(panel->validationMessage().contains(QStringLiteral("d_model list")));
    }
    SECTION("no variant selected")
    {
        for (QCheckBox* box : panel->findChildren<QCheckBox*>()) {
            if (box->objectName().startsWith(QStringLiteral("variant.")))
                box->setChecked(false);
        }
        CHECK_FALSE(run->isEnabled());
    }
}

TEST_CASE("+ adds the slider's point to the list, and Ctrl+Z takes it back", "[ui][config]")
{
    SweepAxisEditor editor(QStringLiteral("d_model"), 4, 10);
    editor.setValues({ 16, 32, 64, 128 });
    editor.slider()->triggerAction(QAbstractSlider::SliderToMaximum);
    CHECK(editor.sliderValue() == 1024);
    CHECK(editor.listText() == QStringLiteral("16,32,64,128"));

    editor.findChild<QToolButton*>()->click();
    CHECK(editor.values() == std::vector<int64_t> { 16, 32, 64, 128, 1024 });
    CHECK(editor.sliderValue() == 1024);

    QTest::keyClick(editor.listEdit(), Qt::Key_Z, Qt::ControlModifier);
    CHECK(editor.listText() == QStringLiteral("16,32,64,128"));

    // From the + button, which keeps the focus after a click, too.
    editor.show();
    editor.activateWindow();
    REQUIRE(QTest::qWaitForWindowActive(&editor));
    editor.slider()->triggerAction(QAbstractSlider::SliderToMaximum); // the undo moved it to the list's last value
    editor.findChild<QToolButton*>()->setFocus();
    editor.findChild<QToolButton*>()->click();
    CHECK(editor.values() == std::vector<int64_t> { 16, 32, 64, 128, 1024 });
    QTest::keyClick(editor.findChild<QToolButton*>(), Qt::Key_Z, Qt::ControlModifier);
    CHECK(editor.listText() == QStringLiteral("16,32,64,128"));
}

TEST_CASE("TransformerLM without Forward validates, unoffered phases do not count", "[ui][config]")
{
    ConfigPanel panel;
    panel.setCapabilities(capabilities());
    SweepConfig config = test::tinySweep();
    config.workloads = { Workload::transformer_lm };
    config.phases.clear(); // every phase: the greyed-out attention ones stay ticked
    panel.setConfig(config);

    auto* forward = panel.findChild<QCheckBox*>(QStringLiteral("phase.forward"));
    auto* backward = panel.findChild<QCheckBox*>(QStringLiteral("phase.backward"));
    CHECK_FALSE(backward->isEnabled());
    CHECK(backward->isChecked());
    forward->setChecked(false);
    CHECK(panel.isValid());
    CHECK(panel.config().phases == std::vector<Phase> { Phase::train_step });

    // A configuration saved before the fix, attention phases in a model-only sweep, loads and runs.
    config.phases = { Phase::backward, Phase::forward_backward, Phase::train_step };
    panel.setConfig(config);
    CHECK(panel.isValid());
    CHECK(panel.config().phases == std::vector<Phase> { Phase::train_step });
}

TEST_CASE("the wheel over an unfocused spin box, combo box or slider scrolls the panel", "[ui][config]")
{
    QScrollArea area;
    auto* panel = new ConfigPanel;
    area.setWidget(panel);
    area.setWidgetResizable(true);
    area.resize(400, 300);
    area.show();
    REQUIRE(QTest::qWaitForWindowExposed(&area));

    auto* seq_len = panel->findChild<QSpinBox*>(QStringLiteral("model.seq_len"));
    auto* dtype = panel->findChild<QComboBox*>(QStringLiteral("dtype"));
    QSlider* slider = panel->seqLenEditor()->slider();
    const int seq_len_before = seq_len->value();
    const int dtype_before = dtype->currentIndex();
    const int slider_before = slider->value();
    const auto wheel = [](QWidget* widget) {
        QWheelEvent event(QPointF(5, 5), QPointF(widget->mapToGlobal(QPoint(5, 5))), QPoint(), QPoint(0, -120),
            Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(widget, &event);
    };
    for (QWidget* widget :
        { static_cast<QWidget*>(seq_len), static_cast<QWidget*>(dtype), static_cast<QWidget*>(slider) })
        wheel(widget);
    CHECK(seq_len->value() == seq_len_before);
    CHECK(dtype->currentIndex() == dtype_before);
    CHECK(slider->value() == slider_before);
    CHECK(area.verticalScrollBar()->value() > 0);

    seq_len->setFocus();
    REQUIRE(test::waitUntil([&] { return seq_len->hasFocus(); }, 2000));
    wheel(seq_len);
    CHECK(seq_len->value() == seq_len_before - 1);
}

TEST_CASE("a validation problem is named at the top and its field marked", "[ui][config]")
{
    ConfigPanel panel;
    panel.setCapabilities(capabilities());
    SweepConfig config = test::tinySweep();
    config.workloads = { Workload::attention, Workload::transformer_lm };
    panel.setConfig(config);
    REQUIRE(panel.isValid());
    CHECK(panel.invalidFields().isEmpty());

    auto* seq_len = panel.findChild<QSpinBox*>(QStringLiteral("model.seq_len"));
    const QColor base = seq_len->palette().color(QPalette::Base);
    seq_len->setValue(1000);
    CHECK_FALSE(panel.isValid());
    CHECK(panel.validationMessage().startsWith(QStringLiteral("model seq_len: ")));
    CHECK(panel.validationMessage().contains(QStringLiteral("the model's context_length")));
    CHECK(panel.invalidFields() == QList<QWidget*> { seq_len });
    CHECK(seq_len->palette().color(QPalette::Base) != base);
    // The message is the panel's first widget, above the Workload group.
    auto* message = panel.findChild<QLabel*>(QStringLiteral("validationMessage"));
    CHECK(panel.layout()->indexOf(message) == 0);

    QLineEdit* d_models = panel.dModelEditor()->listEdit();
    d_models->setText(QStringLiteral("16,16"));
    Q_EMIT d_models->textEdited(d_models->text());
    CHECK(panel.validationMessage().contains(QStringLiteral("attention d_model: lists 16 twice")));
    CHECK(panel.invalidFields() == QList<QWidget*> { d_models, seq_len });
    d_models->setText(QStringLiteral("16"));
    Q_EMIT d_models->textEdited(d_models->text());

    seq_len->setValue(192);
    CHECK(seq_len->palette().color(QPalette::Base) == base);
}

TEST_CASE("a run from a device this machine lacks names the device, not the variants it greys out", "[ui][config]")
{
    if (capabilities().cuda)
        SUCCEED("this machine has CUDA: nothing greyed out to check");
    else {
        ConfigPanel panel;
        panel.setCapabilities(capabilities());
        SweepConfig config = test::tinySweep();
        config.device = Device::cuda;
        panel.setConfig(config);
        CHECK_FALSE(panel.isValid());
        CHECK(panel.validationMessage().startsWith(QStringLiteral("device: cuda is not available")));
        CHECK_FALSE(panel.validationMessage().contains(QStringLiteral("variants")));
    }
}

TEST_CASE("a first launch is a quick first look, and Quick can be unticked", "[ui][config][estimate]")
{
    ConfigPanel panel;
    panel.setCapabilities(capabilities());
    auto* quick = panel.findChild<QCheckBox*>(QStringLiteral("quick"));
    CHECK(quick->isChecked());
    SweepConfig quick_seed;
    apply_quick(quick_seed);
    CHECK(panel.config().attention.d_models == quick_seed.attention.d_models);
    CHECK(panel.config().measure.max_time_s == quick_seed.measure.max_time_s);

    quick->setChecked(false);
    CHECK(panel.config().attention.seq_lens == SweepConfig {}.attention.seq_lens);
    CHECK(panel.config().measure.min_time_s == SweepConfig {}.measure.min_time_s);
    quick->setChecked(true);
    CHECK(panel.config().attention.seq_lens == quick_seed.attention.seq_lens);
    CHECK_FALSE(panel.findChild<QLabel*>(QStringLiteral("estimate"))->text().isEmpty());
}

TEST_CASE("the estimate of the seed grid asks before Run, the quick one does not", "[ui][config][estimate]")
{
    SweepConfig seed;
    apply_preset(*find_preset("seed"), seed);
    seed.variants = { "eager", "torchscript" };
    const RunEstimate full = estimateRun(seed);
    CHECK(full.measurements == 16 * 3 * 2 + 2 * 2);
    CHECK(full.largest_cell
        == "attention d_model=128 seq_len=8192 forward_backward"); // (9+n) BSD + 4 BSS, docs/memory-estimate.md
    CHECK(full.largest_memory_bytes > int64_t { 4 } * 8 * 8192 * 8192); // four score-sized buffers
    CHECK(full.seconds > 0);

    SweepConfig quick = seed;
    apply_quick(quick);
    const RunEstimate first_look = estimateRun(quick);
    CHECK(first_look.measurements == 4 * 3 * 2 + 2 * 2);
    CHECK(first_look.seconds < full.seconds / 10);
    CHECK_FALSE(needsConfirmation(first_look));
    CHECK(describeEstimate(first_look).startsWith(QStringLiteral("28 measurements · about ")));
    CHECK(describeEstimate(first_look).contains(QStringLiteral("\nIncludes measuring ")));
    WARN("seed, eager + torchscript: " << describeEstimate(full).toStdString());
    WARN("quick: " << describeEstimate(first_look).toStdString());

    // Issue 25: the seed grid with every variant said "at least 3 min 34 s" and started without asking; it takes
    // hours on a CPU (exports, compiles, seconds-long iterations at seq_len 8192).
    SweepConfig every = seed;
    every.variants.clear();
    for (const VariantInfo& variant : capabilities().variants(Device::cpu)) {
        if (variant.available)
            every.variants.push_back(variant.name);
    }
    const RunEstimate all_variants = estimateRun(every);
    CHECK(all_variants.seconds > confirm_run_after_s);
    CHECK(needsConfirmation(all_variants));
    WARN("seed, every variant: " << describeEstimate(all_variants).toStdString());

    SweepConfig huge = seed;
    huge.memory_limit_bytes = 1 << 20;
    CHECK(estimateRun(huge).cells_over_limit > 0);
    CHECK(needsConfirmation(estimateRun(huge)));
}
