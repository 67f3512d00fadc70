#include "robustness_job.h"

#include <QByteArray>
#include <QJsonDocument>
#include <exception>

#include "atelier/error.h"
#include "atelier/padain.h"
#include "atelier/preset.h"

namespace atelier::ui {
namespace {

atelier::PadainReportOptions reportOptions(const RobustnessRequest& r) {
  atelier::PadainReportOptions options;
  options.dataset = atelier::padain_dataset_from_name(r.dataset.toStdString());
  if (options.dataset == atelier::PadainDataset::Mnistm) {
    throw atelier::bad_input("the studio's report trains on fashion or mnist");
  }
  options.data_dir = r.dataDir.toStdString();
  atelier::Preset preset = atelier::load_preset("padain", r.preset.toStdString());
  std::vector<std::string> overrides;
  for (const QString& o : r.overrides) overrides.push_back(o.trimmed().toStdString());
  atelier::apply_overrides(preset, overrides);
  options.params = atelier::PadainParams::from_preset(preset);
  options.preset = preset.size.empty() ? r.preset.toStdString() : preset.size;
  if (r.p > 1) throw atelier::bad_input("p must lie in [0, 1]");
  options.p = r.p;
  if (r.seeds < 1 || r.seeds > 100) throw atelier::bad_input("seeds must lie in [1, 100]");
  options.seeds = r.seeds;
  options.compute = r.compute;
  return options;
}

}  // namespace

QString checkRobustnessRequest(const RobustnessRequest& request) {
  try {
    reportOptions(request);
  } catch (const std::exception& e) {
    return QString::fromStdString(e.what());
  }
  return {};
}

double presetProbability(const QString& preset) {
  try {
    return atelier::PadainParams::from_preset(atelier::load_preset("padain", preset.toStdString()))
        .p;
  } catch (const std::exception&) {
    return -1;
  }
}

EngineJob robustnessJob(const RobustnessRequest& request, std::shared_ptr<QJsonObject> report) {
  return [request, report](const atelier::Callbacks& callbacks) {
    const atelier::PadainReportOptions options = reportOptions(request);
    try {
      const atelier::PadainReport r = atelier::run_padain_report(options, callbacks);
      const std::string text = atelier::to_json(r).dump();
      *report = QJsonDocument::fromJson(QByteArray::fromStdString(text)).object();
      return true;
    } catch (const atelier::Error& e) {
      if (e.kind() == atelier::ErrorKind::Cancelled) return false;
      throw;
    }
  };
}

}  // namespace atelier::ui
