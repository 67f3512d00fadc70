// set_single_image_command.h — an undoable change of the Single image & analogy workspace's
// choices (mode, images, model).
#pragma once

#include <QUndoCommand>

#include "single_image_state.h"

namespace atelier::ui {

class Document;

class SetSingleImageCommand : public QUndoCommand {
 public:
  SetSingleImageCommand(Document* document, SingleImageState state, const QString& text);
  void redo() override;
  void undo() override;

 private:
  Document* document_;
  SingleImageState before_;
  SingleImageState after_;
};

}  // namespace atelier::ui
