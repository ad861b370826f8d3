// SPDX-License-Identifier: MIT
#include "formats/CaseWriter.hpp"
