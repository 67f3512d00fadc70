#include "core/training_failure.h"

#include <cmath>
#include <filesystem>
#include <new>

#include "atelier/error.h"

namespace atelier {

SaveRecord::SaveRecord(std::string out, bool writer) : out_(std::move(out)), writer_(writer) {
  std::error_code ec;
  existed_ = std::filesystem::exists(out_, ec);
}

void SaveRecord::saved(std::int64_t step) {
  last_step_ = step;
}

std::string SaveRecord::kept() const {
  if (!writer_) return "rank 0 writes " + out_ + "; its last save stays";
  if (last_step_ >= 0) return out_ + " keeps the model saved at step " + std::to_string(last_step_);
  if (existed_) return out_ + " was left as it was";
  return "no model was written";
}

void require_finite_losses(const NamedLosses& losses, const std::string& method,
                           const std::string& where, const SaveRecord& record) {
  for (const auto& [name, value] : losses) {
    if (std::isfinite(value)) continue;
    throw bad_input(method + ": the training diverged at " + where + ": loss '" + name + "' is " +
                    (std::isnan(value) ? "NaN" : "infinite") +
                    " (lower the learning rates or the loss weights); " + record.kept());
  }
}

bool is_out_of_memory_message(const std::string& message) {
  return message.find("out of memory") != std::string::npos ||
         message.find("can't allocate memory") != std::string::npos ||
         message.find("Cannot allocate memory") != std::string::npos;
}

void rethrow_training_failure(const std::string& method, const std::string& where,
                              const SaveRecord& record) {
  const std::string advice =
      " (the job is too large for this machine: a smaller size, preset or fewer frames needs "
      "less); ";
  try {
    throw;
  } catch (const std::bad_alloc&) {
    throw bad_input(method + ": out of memory at " + where + advice + record.kept());
  } catch (const Error& e) {
    const std::string text = e.what();
    if (text.find(record.kept()) != std::string::npos) throw;  // said already
    throw Error(e.kind(), text + " (at " + where + "; " + record.kept() + ")");
  } catch (const std::exception& e) {
    const std::string text = e.what();
    if (is_out_of_memory_message(text))
      throw bad_input(method + ": out of memory at " + where + advice + record.kept());
    throw;  // the method's guard turns it into an Error with its context
  }
}

}  // namespace atelier
