// Included by every header of the engine (core/src/engine/). The engine's sources, and the programs and tests that
// link it, have COMPILESCOPE_ENGINE defined (compilescope_engine's PUBLIC compile definition); the model library
// and the UI do not. So a model or UI file that includes an engine header fails to compile here, with this
// message, instead of at the link check (cmake/NeedsNoTorch.cmake). core/CMakeLists.txt proves it at configure time.
#pragma once

#ifndef COMPILESCOPE_ENGINE
#error "an engine header is included by code that does not link the engine (model, UI)"
#endif
