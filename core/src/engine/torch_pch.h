// Precompiled header of the LibTorch half of the core (src/engine/*.cpp only).
#pragma once

#include <torch/script.h>
#include <torch/torch.h>
