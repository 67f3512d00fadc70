// app_resources.h — the studio's compiled-in resources (resources/atelier.qrc: icons).
#pragma once

namespace atelier::ui {

// Registers the resources once. They live in a static library, so nothing would pull them into
// the executable otherwise; MainWindow calls this itself.
void initAppResources();

}  // namespace atelier::ui
