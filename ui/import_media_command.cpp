#include "import_media_command.h"

#include <QCoreApplication>
#include <QFileInfo>

#include "document.h"

namespace atelier::ui {

ImportMediaCommand::ImportMediaCommand(Document* document, int index, MediaList items,
                                       QUndoCommand* parent)
    : QUndoCommand(parent), document_(document), index_(index), items_(std::move(items)) {
  setText(items_.size() == 1 ? QCoreApplication::translate("ImportMediaCommand", "Import %1")
                                   .arg(QFileInfo(items_.front().path).fileName())
                             : QCoreApplication::translate("ImportMediaCommand", "Import %n files",
                                                           nullptr, items_.size()));
}

void ImportMediaCommand::redo() {
  document_->insertMedia(index_, items_);
}

void ImportMediaCommand::undo() {
  document_->removeMedia(index_, items_.size());
}

}  // namespace atelier::ui
