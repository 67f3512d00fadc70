// demo_location.h — where the bundled demo project is.
#pragma once

#include <QString>

// The demo project file: <bindir>/../share/atelier/demo/demo.atelier when installed, else the
// source tree's resources/demo/demo.atelier. Empty when neither exists.
QString bundledDemoProject();
