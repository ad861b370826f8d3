// SPDX-License-Identifier: MIT
#include "engine/YStr.hpp"

namespace kinmatch::engine::ystr {

// Per-meiosis mutation rates (point estimates, mutations / meioses) of the YHRD
// (Y Chromosome Haplotype Reference Database, https://yhrd.org), release 61, June 2019, as
// tabulated in Table 1 ("Mutation Rates") of: Characterizing Y-STRs in the Evaluation of
// Population Differentiation Using the Mean of Allele Frequency Difference between
// Populations. Genes 2020, 11(5):566, doi:10.3390/genes11050566, which takes them from the
// YHRD website. These are the single-copy loci of PowerPlex Y23 / Yfiler Plus.
//
// The multi-copy loci (DYS385, DYF387S1) are not in that table, and YHRD gives them per
// marker, not per copy; they have no default so that no unsourced number enters an LR. A lab
// that wants them in the LR passes per-copy rates in MutationRates.
const MutationRates& yhrdRelease61Rates() {
    static const MutationRates rates{.perLocus = {
                                         {"DYS19", 2.20e-3},
                                         {"DYS389I", 2.72e-3},
                                         {"DYS389II", 4.33e-3},
                                         {"DYS390", 2.08e-3},
                                         {"DYS391", 2.53e-3},
                                         {"DYS392", 4.96e-4},
                                         {"DYS393", 1.07e-3},
                                         {"DYS437", 1.32e-3},
                                         {"DYS438", 3.51e-4},
                                         {"DYS439", 5.46e-3},
                                         {"DYS448", 1.39e-3},
                                         {"DYS449", 9.44e-3},
                                         {"DYS456", 4.41e-3},
                                         {"DYS458", 6.17e-3},
                                         {"DYS460", 5.82e-3},
                                         {"DYS481", 4.88e-3},
                                         {"DYS518", 1.46e-2},
                                         {"DYS533", 3.68e-3},
                                         {"DYS570", 1.14e-2},
                                         {"DYS576", 1.26e-2},
                                         {"DYS627", 1.32e-2},
                                         {"DYS635", 4.21e-3},
                                         {"YGATAH4", 3.01e-3},
                                     }};
    return rates;
}

}  // namespace kinmatch::engine::ystr
