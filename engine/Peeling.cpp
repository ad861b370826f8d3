// SPDX-License-Identifier: MIT
#include "engine/Peeling.hpp"
