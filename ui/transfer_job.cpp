#include "transfer_job.h"

#include <QDir>
#include <QTemporaryDir>
#include <fstream>
#include <memory>

#include "atelier/disentangle.h"
#include "atelier/error.h"
#include "atelier/masktransfer.h"
#include "atelier/preset.h"
#include "other_ranks.h"

namespace atelier::ui {
namespace {

int pictureSize(const std::string& method, const atelier::Preset& preset) {
  return method == "masktransfer" ? atelier::MasktransferParams::from_preset(preset).image_size
                                  : atelier::DisentangleParams::from_preset(preset).image_size;
}

// A gallery as a list file (atelier::read_image_list), for the ranks to read alike.
std::string writeList(const QTemporaryDir& dir, const char* name,
                      const std::vector<std::string>& paths) {
  const std::string list = QDir(dir.path()).filePath(QString::fromLatin1(name)).toStdString();
  std::ofstream out(list);
  for (const std::string& path : paths) out << path << '\n';
  if (!out.flush()) throw atelier::io_error(list + ": cannot write the gallery's list");
  return list;
}

}  // namespace

EngineJob transferTrainJob(const TransferTrainRequest& request, bool resume) {
  return [r = request, resume](const atelier::Callbacks& callbacks) {
    const atelier::Preset preset = atelier::load_preset(r.method, r.preset);
    atelier::TrainOptions o = r.options;
    if (resume) o.resume = o.out;
    // A resumed file trains on with its own parameters, its picture size among them.
    const int size =
        pictureSize(r.method, resume ? atelier::stored_preset(r.method, o.out) : preset);
    QTemporaryDir lists;
    if (!lists.isValid()) throw atelier::io_error("cannot create a folder for the gallery lists");
    const std::string a = writeList(lists, "gallery-A.txt", r.a),
                      b = writeList(lists, "gallery-B.txt", r.b);

    const std::unique_ptr<OtherRanks> others =
        startOtherRanks({r.method, "--a", a, "--b", b, "--preset", r.preset}, r.processes, o);
    const atelier::TransferImages images =
        atelier::load_transfer_images(a, b, size, {}, 0, r.processes);
    const atelier::TrainResult result =
        r.method == "masktransfer" ? atelier::train_masktransfer(images, preset, o, callbacks)
                                   : atelier::train_disentangle(images, preset, o, callbacks);
    return result.finished;
  };
}

}  // namespace atelier::ui
