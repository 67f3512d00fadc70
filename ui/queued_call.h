// queued_call.h — runs a function on another object's thread through Qt's event queue, in an
// order that ThreadSanitizer can see.
//
// A queued call (QMetaObject::invokeMethod with Qt::QueuedConnection) reaches the target's thread
// under a lock inside Qt's libraries, which are not instrumented: the sanitizer then sees the
// call's captured values written on one thread and read on another with nothing in between, and
// reports a race that is not there. queueCall() posts while it holds one process-wide mutex, and
// the call takes that mutex before it reads anything it captured: the order Qt gives anyway,
// written in a lock the sanitizer understands (an uncontended lock per call).
#pragma once

#include <QMetaObject>
#include <QObject>
#include <mutex>
#include <utility>

namespace atelier::ui {

namespace detail {
std::mutex& queuedCallOrder();
}

template <typename Function>
void queueCall(QObject* target, Function call) {
  std::lock_guard<std::mutex> posting(detail::queuedCallOrder());
  QMetaObject::invokeMethod(
      target,
      [call = std::move(call)]() mutable {
        { std::lock_guard<std::mutex> posted(detail::queuedCallOrder()); }
        call();
      },
      Qt::QueuedConnection);
}

}  // namespace atelier::ui
