#include "transfer_commands.h"

#include <QCoreApplication>
#include <QFileInfo>

#include "document.h"

namespace atelier::ui {

SetGalleryCommand::SetGalleryCommand(Document* document, Domain domain, QStringList paths,
                                     const QString& text)
    : QUndoCommand(text),
      document_(document),
      domain_(domain),
      before_(document->transfer().gallery(domain)),
      after_(std::move(paths)) {}

void SetGalleryCommand::redo() {
  document_->setGallery(domain_, after_);
}
void SetGalleryCommand::undo() {
  document_->setGallery(domain_, before_);
}

AddTransferStepCommand::AddTransferStepCommand(Document* document, TransferStep step)
    : document_(document), step_(std::move(step)), index_(document->transfer().history.size()) {
  const QString onto = QFileInfo(step_.onto).fileName();
  setText(step_.kind == TransferStep::Kind::Removal
              ? QCoreApplication::translate("TransferCommands", "Remove attributes of %1").arg(onto)
              : QCoreApplication::translate("TransferCommands", "Give %1 the %2 attribute of %3")
                    .arg(onto,
                         step_.attribute == Domain::A ? QStringLiteral("A") : QStringLiteral("B"),
                         QFileInfo(step_.from).fileName()));
}

void AddTransferStepCommand::redo() {
  document_->insertTransferStep(index_, step_);
}
void AddTransferStepCommand::undo() {
  document_->removeTransferStep(index_);
}

SetTransferModelCommand::SetTransferModelCommand(Document* document, QString path)
    : QUndoCommand(QCoreApplication::translate("TransferCommands", "Use model %1")
                       .arg(QFileInfo(path).fileName())),
      document_(document),
      before_(document->transfer().model),
      after_(std::move(path)) {}

void SetTransferModelCommand::redo() {
  document_->setTransferModel(after_);
}
void SetTransferModelCommand::undo() {
  document_->setTransferModel(before_);
}

}  // namespace atelier::ui
