#include "core/guard.h"

#include <c10/util/Exception.h>

#include <opencv2/core.hpp>

#include <new>

namespace atelier {
namespace {

// c10 messages carry a C++ stack trace after the first line; users need the first line only.
std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

}  // namespace

void rethrow_with_context(const std::string& context) {
  try {
    throw;
  } catch (const Error&) {
    throw;
  } catch (const std::bad_alloc&) {
    throw Error(ErrorKind::Internal, context + ": out of memory");
  } catch (const c10::Error& e) {
    const std::string message = first_line(e.what_without_backtrace());
    if (message.find("out of memory") != std::string::npos)
      throw Error(ErrorKind::Internal, context + ": out of memory (" + message + ")");
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
