// oneshot_job.h — the One-shot translation workspace's training job: phase I (the autoencoder of
// the B folder) when there is no phase I model yet, then phase II on the single A picture. A
// stopped job resumes where it stopped (phase I's file, then phase II's).
#pragma once

#include <QString>

#include "atelier/compute.h"
#include "job_runner.h"

namespace atelier::ui {

struct OneshotTrainRequest {
  QString bFolder;  // the B pictures (both phases)
  QString base;     // a finished phase I model; empty: train one to baseOut first
  QString baseOut;  // where phase I writes its model
  QString picture;  // the single A picture
  QString out;      // where phase II writes its model
  QString preset;   // a oneshot preset (phase I's networks; both phases' training keys)
  atelier::ComputeOptions compute;
  int previewEvery = 50;
  // Phase I over this many processes of this machine (this one is rank 0; the others run
  // atelier-cli-engine); they share the cores.
  int processes = 1;
};

// The phases whose progress carries training losses (for the training panel's chart).
QStringList oneshotLossPhases();

// Returns true when both phases finished, false when stopped (resumable with `resume`).
EngineJob oneshotTrainJob(const OneshotTrainRequest& request, bool resume);

}  // namespace atelier::ui
