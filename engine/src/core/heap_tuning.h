// The C library's heap, tuned for jobs that allocate and free tens of megabytes every step.
#pragma once

namespace atelier {

// glibc gives freed memory back to the kernel as soon as twice the largest freed block lies
// unused at the top of the heap, and serves blocks above a moving threshold by fresh mappings;
// a job that frees and allocates such blocks every step then pays a page fault for every 4 kB
// it touches, every step (patchnn on a 128 px clip: 1.3 M faults, 9 s of 46 s). This keeps up
// to 256 MB of freed memory in the process and serves blocks up to 64 MB from the heap; peak
// memory stays what the job uses. Process-wide; the first call acts, later ones do nothing.
void keep_freed_memory_for_reuse();

}  // namespace atelier
