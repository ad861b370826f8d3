// SPDX-License-Identifier: MIT
#include "engine/Screening.hpp"
