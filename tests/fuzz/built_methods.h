// The public headers of the methods this build has (CMake defines ATELIER_WITH_<METHOD> for
// each one built; a build may leave methods out with -DATELIER_METHODS).
#pragma once

#if defined(ATELIER_WITH_SINGAN)
#include "atelier/singan.h"
#endif
#if defined(ATELIER_WITH_ANALOGY)
#include "atelier/analogy.h"
#endif
#if defined(ATELIER_WITH_VIDEOGEN)
#include "atelier/videogen.h"
#endif
#if defined(ATELIER_WITH_DISENTANGLE)
#include "atelier/disentangle.h"
#endif
#if defined(ATELIER_WITH_MASKTRANSFER)
#include "atelier/masktransfer.h"
#endif
#if defined(ATELIER_WITH_ONESHOT)
#include "atelier/oneshot.h"
#endif
#if defined(ATELIER_WITH_PADAIN)
#include "atelier/padain.h"
#endif
#if defined(ATELIER_WITH_PATCHNN)
#include "atelier/patchnn.h"
#endif
