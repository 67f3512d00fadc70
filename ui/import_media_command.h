// import_media_command.h — undoable import of pictures and videos into a project.
#pragma once

#include <QUndoCommand>

#include "media_item.h"

namespace atelier::ui {

class Document;

class ImportMediaCommand : public QUndoCommand {
 public:
  // Inserts `items` at `index` when (re)done, removes them when undone.
  ImportMediaCommand(Document* document, int index, MediaList items,
                     QUndoCommand* parent = nullptr);

  void redo() override;
  void undo() override;

 private:
  Document* document_;
  int index_;
  MediaList items_;
};

}  // namespace atelier::ui
