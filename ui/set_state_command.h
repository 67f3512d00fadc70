// set_state_command.h — an undoable change of one workspace's state in the project (the One-shot
// translation and Robustness report workspaces): it keeps the state before and after, whole.
#pragma once

#include <QUndoCommand>
#include <utility>

#include "document.h"

namespace atelier::ui {

// State: a value type; Get/Set: the Document's accessor and low-level edit for it.
template <class State, const State& (Document::*Get)() const, void (Document::*Set)(const State&)>
class SetStateCommand : public QUndoCommand {
 public:
  SetStateCommand(Document* document, State state, const QString& text)
      : QUndoCommand(text),
        document_(document),
        before_((document->*Get)()),
        after_(std::move(state)) {}
  void redo() override { (document_->*Set)(after_); }
  void undo() override { (document_->*Set)(before_); }

 private:
  Document* document_;
  State before_;
  State after_;
};

using SetOneshotCommand = SetStateCommand<OneshotState, &Document::oneshot, &Document::setOneshot>;
using SetRobustnessCommand =
    SetStateCommand<RobustnessState, &Document::robustness, &Document::setRobustness>;

}  // namespace atelier::ui
