// SPDX-License-Identifier: MIT
#include "engine/Simulation.hpp"
