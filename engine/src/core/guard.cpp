#include "core/guard.h"

#include <c10/util/Exception.h>

#include <opencv2/core.hpp>

#include <new>

#include "core/training_failure.h"

namespace atelier {
namespace {

// Running out of memory is not a defect: the job asked more than the machine has.
const char* const kSmallerJob =
    " (the job is too large for this machine: a smaller size, preset or fewer frames needs less)";

// c10 messages carry a C++ stack trace after the first line; users need the first line only.
std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

}  // namespace

void rethrow_with_context(const std::string& context) {
  try {
    throw;
  } catch (const Error&) {
    throw;
  } catch (const std::bad_alloc&) {
    throw Error(ErrorKind::BadInput, context + ": out of memory" + kSmallerJob);
  } catch (const c10::Error& e) {
    const std::string message = first_line(e.what_without_backtrace());
    if (is_out_of_memory_message(message))
      throw Error(ErrorKind::BadInput, context + ": out of memory" + kSmallerJob);
    throw Error(ErrorKind::Internal, context + ": " + message);
  } catch (const cv::Exception& e) {
    throw Error(ErrorKind::BadInput, context + ": " + first_line(e.what()));
  } catch (const std::exception& e) {
    throw Error(ErrorKind::Internal, context + ": " + e.what());
  } catch (...) {
    throw Error(ErrorKind::Internal, context + ": unknown failure");
  }
}

}  // namespace atelier
