// Fuzz target: the studio's project files (*.atelier), read as the studio opens them.
#include <QString>
#include <cstdint>

#include "fuzz_support.h"
#include "project.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const atelier::fuzz::MemoryFile file(data, size);
  QString error;
  const auto project = atelier::ui::Project::read(QString::fromStdString(file.path()), &error);
  if (!project && error.isEmpty()) __builtin_trap();  // a refusal always says why
  if (project) {
    // What was read must write back: the studio saves what it opened.
    const QJsonObject json = project->toJson(QStringLiteral("/tmp"));
    QString problem;
    if (!atelier::ui::Project::fromJson(json, QStringLiteral("/tmp"), &problem)) __builtin_trap();
  }
  return 0;
}
