// Fault injection for the reliability tests: named points in the code where a test can make a step fail the way
// the world does (out of memory, a full disk, a refused write), in-process or, through the environment, in a CLI
// or worker process. Nothing is injected unless a test asks; an unset point costs one relaxed atomic load.
#pragma once

#include <optional>
#include <string>

namespace compilescope::failpoints {

/// The environment variable a process reads its failpoints from at the first hit, e.g.
/// COMPILESCOPE_FAILPOINTS="measurement=bad_alloc@3,file_write=enospc".
inline constexpr const char* environment_variable = "COMPILESCOPE_FAILPOINTS";

/// Replaces the active failpoints; "" clears them. `spec` is a comma list of `point=action` or `point=action@N`
/// (only the Nth hit of the point, counted from 1, fires). The actions a point understands are documented where
/// it is hit. Throws std::invalid_argument for a malformed spec.
void configure(const std::string& spec);

/// Counts a hit of `point` and returns the action to take now, or nullopt.
std::optional<std::string> hit(const char* point);

/// The points the code knows, with the actions each takes.
/// - "measurement": before each C++ measurement's work; bad_alloc (std::bad_alloc), error (std::runtime_error),
///   stall (sleeps 30 s without looking at the cancel token, like a long operator).
/// - "file_write": half-way through write_file_atomically's data; enospc, eacces, eio (the write fails with that
///   errno).
/// - "capture": at the start of each CUDA graph capture (CUDA builds); invalidate (half-way through the capture, the
///   legacy default stream is made to wait on the capturing stream, which CUDA refuses and which invalidates the
///   capture, as autograd once did), any other action throws inside the capture.
/// - "device_lost": after each failed C++ measurement, instead of checking the device; any action declares the
///   device unusable in this process, as a sticky CUDA error would.
/// - "journal_write": each write() of a journal line (JournalWriter); enospc (default) or eio: the write fails with
///   that errno.
/// - "exit": in compilescope-cli, after the command has finished, before main returns; stall (says so on stderr, then
///   waits 2 s: a window for a signal while the process winds down).
/// - "python_answer": when a Python measurement is requested; any action cuts the time each stage of it may take
///   (starting, compiling, timing) to 2 s, so a test can see a hung child stopped.
/// - "crash": before each C++ variant is built; an action that is the variant's name raises SIGSEGV there (the
///   process dies, as with a bad package or an abort inside LibTorch), in every cell.
/// - "reports": in compilescope-cli, after the sweep has come back and before the reports are written; stall
///   (says so on stderr, then waits 2 s: a window for a late stop signal).
} // namespace compilescope::failpoints
