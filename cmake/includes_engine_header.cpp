// Compiled at configure time as model-library code (core/CMakeLists.txt): it must NOT compile, because a model or UI
// file may not include an engine header, public (not in the model's include folders) or private
// (compilescope/engine/engine_only.h).
#ifdef INCLUDES_PUBLIC_ENGINE_HEADER
#include "compilescope/engine/sweep.h"
#else
#include "engine/cpu_block_cache.h"
#endif

int main()
{
    return 0;
}
