# Every dependency comes from a Debian 12 package and is found with find_package / pkg-config.
find_package(Threads REQUIRED)

# LibTorch: Debian's libtorch-dev (CPU) by default; a CUDA LibTorch through -DTorch_DIR=...
find_package(Torch REQUIRED)
find_package(OpenCV REQUIRED COMPONENTS core imgproc imgcodecs videoio)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(spdlog REQUIRED)
find_package(ZLIB REQUIRED)
find_package(GIF REQUIRED)
find_package(CLI11 CONFIG REQUIRED)
find_package(PkgConfig REQUIRED)
# Videos are decoded with FFmpeg's libraries directly (OpenCV only writes them): io/video_decoder.h.
pkg_check_modules(FFMPEG REQUIRED IMPORTED_TARGET libavformat libavcodec libavutil libswscale)

if(ATELIER_BUILD_GUI)
  find_package(Qt6 REQUIRED COMPONENTS Core Gui Widgets Charts Concurrent Test)
endif()
if(ATELIER_BUILD_VIEWER)
  find_package(glfw3 REQUIRED)
  find_package(OpenGL REQUIRED)
  pkg_check_modules(IMGUI REQUIRED IMPORTED_TARGET imgui)  # Debian's imgui has no CMake package
endif()
if(ATELIER_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
