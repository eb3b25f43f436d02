// Included by every header of the engine (its public ones here, its private ones in core/src/engine/). The engine's
// sources, and the programs and tests that link it, have COMPILESCOPE_ENGINE defined (compilescope_engine's PUBLIC
// compile definition); the model library and the UI do not, and their include folders lack this one. So a model or
// UI file that includes an engine header fails to compile: not found, or with this message where the folder is
// given by hand. core/CMakeLists.txt proves both at configure time.
#pragma once

#ifndef COMPILESCOPE_ENGINE
#error "an engine header is included by code that does not link the engine (model, UI)"
#endif
