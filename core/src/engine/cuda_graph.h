// Phase programs captured once into CUDA graphs and replayed: one launch per timed step instead of one per kernel.
#pragma once

#include "compilescope/engine/engine_only.h"

#include "engine/phase_program.h"
#include "engine/variant.h"

namespace compilescope::engine {

/// Available on CUDA in a LibTorch built with CUDA; otherwise the reason.
Availability cuda_graph_availability(Device device);

/// Runs before a capture by default: the first runs allocate cuBLAS workspaces, pick kernels and grow the caching
/// allocator, none of which may happen inside a capture.
constexpr int capture_warmups = 3;

/// Optimizer used inside the captured train step.
extern const char* const graphed_optimizer_note;

/// The phases of build_phase_program with the same math, each captured after warm-ups on a side stream, with
/// static inputs (the cell's tensors) and static outputs (those the capture allocated, rewritten by each replay):
/// - attention forward: one graph, no grad;
/// - attention backward: the forward in one graph, replayed untimed by setup, and autograd's backward in a second
///   graph sharing its memory pool, replayed by step;
/// - attention forward_backward, model forward: one graph each;
/// - model train step: loss, gradients (torch::autograd::grad, so gradients are graph outputs rather than
///   accumulated .grad) and the optimizer in one graph. The optimizer is AdamW as one multi-tensor kernel,
///   at::_fused_adamw_, with its step counters on the device: eager's per-parameter AdamW reads its step count
///   on the host, which a replayed graph would freeze at the captured value.
/// warmups: runs before each capture, at least capture_warmups (TorchScript's executor needs its profiling runs).
/// Throws on a CPU-only build.
PhaseProgram build_graphed_phase_program(const PhaseInputs& inputs, WorkloadMath math, int warmups = capture_warmups);

/// Captures a program built elsewhere (AOTInductor's runner) whose setup and step run only device work on tensors
/// at fixed addresses: warm-ups, then setup into one graph and step into a second sharing its memory pool (or step
/// alone). Holders that setup and step assign are then the captured outputs, rewritten by each replay; reset (in
/// place) runs after the capture, and results is kept. Throws on a CPU-only build.
PhaseProgram capture_phase_program(PhaseProgram program, int warmups = capture_warmups);

} // namespace compilescope::engine
