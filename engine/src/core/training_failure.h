// What a training says when it fails: a diverging loss or an allocation that failed ends it with
// a message that names the place (scale, step) and what became of the model file: the last
// model it saved stays as it was (files are replaced atomically), and the message says so.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace atelier {

using NamedLosses = std::vector<std::pair<std::string, double>>;

// Follows a training's saves of `out`.
class SaveRecord {
 public:
  // writer false: another process writes `out` (a data-parallel rank other than 0).
  explicit SaveRecord(std::string out, bool writer = true);
  void saved(std::int64_t step);
  // "<out> keeps the model saved at step N", "<out> was left as it was", "no model was
  // written" or, for a rank that does not write, "rank 0 writes <out>; its last save stays".
  std::string kept() const;

 private:
  std::string out_;
  bool writer_ = true;
  bool existed_ = false;
  std::int64_t last_step_ = -1;
};

// Error(BadInput) when a loss is NaN or infinite: the training diverged at `where`
// ("scale 3/5, step 120"); its weights would be as broken, so nothing more is saved.
void require_finite_losses(const NamedLosses& losses, const std::string& method,
                           const std::string& where, const SaveRecord& record);

// Rethrows the exception in flight with `where` and record.kept() added. Out of memory
// (std::bad_alloc, or a library's failed allocation) becomes Error(BadInput): the job is too
// large for this machine, not a defect.
[[noreturn]] void rethrow_training_failure(const std::string& method, const std::string& where,
                                           const SaveRecord& record);

// Whether a library's message reports a failed allocation.
bool is_out_of_memory_message(const std::string& message);

}  // namespace atelier
