// transfer_commands.h — the undoable edits of the Attribute transfer workspace.
#pragma once

#include <QStringList>
#include <QUndoCommand>

#include "transfer_state.h"

namespace atelier::ui {

class Document;

// Replaces the images of one gallery (adding or removing some).
class SetGalleryCommand : public QUndoCommand {
 public:
  SetGalleryCommand(Document* document, Domain domain, QStringList paths, const QString& text);
  void redo() override;
  void undo() override;

 private:
  Document* document_;
  Domain domain_;
  QStringList before_;
  QStringList after_;
};

// One transfer (a drop on the canvas) or removal, appended to the history.
class AddTransferStepCommand : public QUndoCommand {
 public:
  AddTransferStepCommand(Document* document, TransferStep step);
  void redo() override;
  void undo() override;

 private:
  Document* document_;
  TransferStep step_;
  int index_;
};

// The model the workspace renders with (after training or loading a file).
class SetTransferModelCommand : public QUndoCommand {
 public:
  SetTransferModelCommand(Document* document, QString path);
  void redo() override;
  void undo() override;

 private:
  Document* document_;
  QString before_;
  QString after_;
};

}  // namespace atelier::ui
