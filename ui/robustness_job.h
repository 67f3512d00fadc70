// robustness_job.h — the Robustness report workspace's job: `atelier-cli eval padain` as a job
// of the job runner (progress, stoppable); the report comes back as the engine's JSON.
#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <memory>

#include "atelier/compute.h"
#include "job_runner.h"

namespace atelier::ui {

struct RobustnessRequest {
  QString dataset = QStringLiteral("fashion");  // fashion | mnist
  QString preset = QStringLiteral("preview");
  QStringList overrides;  // key=value on the preset's params (the CLI's --set)
  double p = -1;          // < 0: the preset's
  int seeds = 3;
  QString dataDir;  // holds digits/ and images/; empty: the engine's default
  atelier::ComputeOptions compute;
};

// Checks what can be checked before any work (dataset name, preset and overrides, p and seeds in
// their ranges); an empty string when all is well, else the message.
QString checkRobustnessRequest(const RobustnessRequest& request);

// The preset's own p (the layer's probability); -1 when the preset cannot be read.
double presetProbability(const QString& preset);

// On completion *report holds the report (written on the job's thread, read after finished()).
// A stop request ends it without a report (returns false).
EngineJob robustnessJob(const RobustnessRequest& request, std::shared_ptr<QJsonObject> report);

}  // namespace atelier::ui
