// wait_for.h — the studio's benchmarks wait for the real widgets: the event loop runs until a
// condition holds.
#pragma once

#include <functional>

// Runs the event loop until `done` holds or `timeoutMs` passes; returns done().
bool waitFor(const std::function<bool()>& done, int timeoutMs);
