// slider_commands.h — undoable edits of the Latent sliders workspace. A whole slider drag is one
// step: every value of one drag carries the drag's number, and commands of the same slider and
// drag merge.
#pragma once

#include <QUndoCommand>

#include "transfer_state.h"

namespace atelier::ui {

class Document;

class SetSliderCommand : public QUndoCommand {
 public:
  static constexpr int kId = 0x51d3;

  // drag = 0: a single change (keyboard, a click on the track) that merges with nothing.
  SetSliderCommand(Document* document, SliderState::Field field, double value, int drag);
  void redo() override;
  void undo() override;
  int id() const override { return kId; }
  bool mergeWith(const QUndoCommand* other) override;

 private:
  Document* document_;
  SliderState::Field field_;
  double before_;
  double after_;
  int drag_;
};

class SetSliderImagesCommand : public QUndoCommand {
 public:
  SetSliderImagesCommand(Document* document, QString image, QString second);
  void redo() override;
  void undo() override;

 private:
  Document* document_;
  QString imageBefore_, secondBefore_;
  QString imageAfter_, secondAfter_;
};

}  // namespace atelier::ui
