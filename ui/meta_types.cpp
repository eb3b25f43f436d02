#include "meta_types.h"

namespace compilescope {

void registerMetaTypes()
{
    qRegisterMetaType<SweepConfig>();
    qRegisterMetaType<SweepProgress>();
    qRegisterMetaType<Measurement>();
    qRegisterMetaType<RunResult>();
    qRegisterMetaType<Capabilities>();
}

} // namespace compilescope
