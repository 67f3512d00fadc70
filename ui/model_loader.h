// model_loader.h — loads a model file on Qt's thread pool, so the GUI thread never waits for it.
// Only the newest load() reports: one asked for before it finished is forgotten.
#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <QtConcurrent/QtConcurrentRun>
#include <exception>
#include <functional>
#include <memory>

#include "atelier/compute.h"

namespace atelier::ui {

// Model: a class with `static std::shared_ptr<const Model> load(const std::string& path,
// const atelier::ComputeOptions&)` that throws on failure.
template <class Model>
class ModelLoader {
 public:
  // On the GUI thread: the model, or null and the error (naming the file).
  using Done = std::function<void(std::shared_ptr<const Model> model, const QString& error)>;

  explicit ModelLoader(QObject* context) {
    QObject::connect(&watcher_, &QFutureWatcherBase::finished, context, [this] { deliver(); });
  }
  ~ModelLoader() { watcher_.waitForFinished(); }

  void load(const QString& path, const atelier::ComputeOptions& compute, Done done) {
    path_ = path;
    done_ = std::move(done);
    watcher_.setFuture(QtConcurrent::run([path, compute] {
      Result r{nullptr, path, {}};
      try {
        r.model = Model::load(path.toStdString(), compute);
      } catch (const std::exception& e) {
        r.error = QString::fromStdString(e.what());
      }
      return r;
    }));
  }
  void forget() {
    path_.clear();
    done_ = nullptr;
  }

 private:
  struct Result {
    std::shared_ptr<const Model> model;
    QString path;
    QString error;
  };

  void deliver() {
    const Result r = watcher_.result();
    if (r.path != path_ || !done_) return;
    Done done = std::move(done_);
    done_ = nullptr;
    done(r.model, r.error);
  }

  QFutureWatcher<Result> watcher_;
  QString path_;
  Done done_;
};

}  // namespace atelier::ui
