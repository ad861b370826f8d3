// SPDX-License-Identifier: MIT
#include "engine/ScreeningKernel.hpp"
