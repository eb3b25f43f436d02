// Compiled at configure time as model-library code (core/CMakeLists.txt): it must NOT compile, because a model or UI
// file may not include an engine header (core/src/engine/engine_only.h).
#include "engine/cpu_block_cache.h"

int main()
{
    return 0;
}
