#include "set_single_image_command.h"

#include "document.h"

namespace atelier::ui {

SetSingleImageCommand::SetSingleImageCommand(Document* document, SingleImageState state,
                                             const QString& text)
    : QUndoCommand(text),
      document_(document),
      before_(document->singleImage()),
      after_(std::move(state)) {}

void SetSingleImageCommand::redo() {
  document_->setSingleImage(after_);
}
void SetSingleImageCommand::undo() {
  document_->setSingleImage(before_);
}

}  // namespace atelier::ui
