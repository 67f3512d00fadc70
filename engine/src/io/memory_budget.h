// How much memory a job may take, and the refusal of one that would need more.
//
// Each job estimates its memory before it allocates (a training from its pyramid and networks,
// a sample from its size, a video from its frames) and asks require_memory(); a job above what
// the machine has is refused with a message that names the option to change, instead of
// swapping for minutes or being killed by the kernel without a word.
#pragma once

#include <cstdint>
#include <string>

namespace atelier {

// Bytes this process may still allocate: MemAvailable of /proc/meminfo, lowered by the cgroup's
// memory limit (containers) and by $ATELIER_MAX_MEMORY_MB when set (a cap a user or a test sets).
std::uint64_t memory_available_bytes();

// "11.2 GB", "640 MB".
std::string bytes_text(double bytes);

// Error(BadInput) "<what> needs about <bytes>, more than the <available> this machine has
// available; <advice>" when `bytes` exceeds memory_available_bytes().
void require_memory(double bytes, const std::string& what, const std::string& advice);

// Float32 bytes a training step of a convolutional net keeps at its peak over `units` pixels
// (voxels for 3-D convolutions), `width` channels and `layers` layers: the activations kept for
// the backward pass and their gradients.
double conv_training_bytes(double units, int width, int layers);

// Bytes a forward pass without gradients keeps alive at once over `units`, `width` channels.
double conv_inference_bytes(double units, int width);

}  // namespace atelier
