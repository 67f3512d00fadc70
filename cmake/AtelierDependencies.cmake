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

# Data-parallel training uses LibTorch's own c10d over Gloo. Debian's LibTorch is built with Gloo;
# the headers its c10d header includes come from libgloo-dev. A LibTorch without them still
# builds, and then refuses --world-size above 1 with a plain message.
find_package(Gloo CONFIG QUIET)
find_file(ATELIER_C10D_GLOO_HEADER torch/csrc/distributed/c10d/ProcessGroupGloo.hpp
          PATHS ${TORCH_INCLUDE_DIRS} NO_DEFAULT_PATH)
if(Gloo_FOUND AND ATELIER_C10D_GLOO_HEADER)
  set(ATELIER_HAVE_GLOO ON)
else()
  set(ATELIER_HAVE_GLOO OFF)
  message(STATUS "Atelier: no Gloo headers (libgloo-dev): built without distributed training")
endif()
