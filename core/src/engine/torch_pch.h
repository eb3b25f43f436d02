// Precompiled header of the LibTorch half of the core (src/engine/*.cpp only).
#pragma once

#include "compilescope/engine/engine_only.h"

#include <torch/script.h>
#include <torch/torch.h>
