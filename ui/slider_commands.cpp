#include "slider_commands.h"

#include <QCoreApplication>

#include "document.h"

namespace atelier::ui {
namespace {

QString fieldName(SliderState::Field field) {
  switch (field) {
    case SliderState::StrengthA:
      return QCoreApplication::translate("SliderCommands", "A strength");
    case SliderState::StrengthB:
      return QCoreApplication::translate("SliderCommands", "B strength");
    default:
      return QCoreApplication::translate("SliderCommands", "common code");
  }
}

}  // namespace

SetSliderCommand::SetSliderCommand(Document* document, SliderState::Field field, double value,
                                   int drag)
    : QUndoCommand(QCoreApplication::translate("SliderCommands", "Move the %1 slider")
                       .arg(fieldName(field))),
      document_(document),
      field_(field),
      before_(document->sliders().values[field]),
      after_(value),
      drag_(drag) {}

void SetSliderCommand::redo() {
  document_->setSliderValue(field_, after_);
}
void SetSliderCommand::undo() {
  document_->setSliderValue(field_, before_);
}

bool SetSliderCommand::mergeWith(const QUndoCommand* other) {
  const auto* next = static_cast<const SetSliderCommand*>(other);
  if (drag_ == 0 || next->drag_ != drag_ || next->field_ != field_) return false;
  after_ = next->after_;
  return true;
}

SetSliderImagesCommand::SetSliderImagesCommand(Document* document, QString image, QString second)
    : QUndoCommand(QCoreApplication::translate("SliderCommands", "Choose the slider images")),
      document_(document),
      imageBefore_(document->sliders().image),
      secondBefore_(document->sliders().second),
      imageAfter_(std::move(image)),
      secondAfter_(std::move(second)) {}

void SetSliderImagesCommand::redo() {
  document_->setSliderImages(imageAfter_, secondAfter_);
}
void SetSliderImagesCommand::undo() {
  document_->setSliderImages(imageBefore_, secondBefore_);
}

}  // namespace atelier::ui
