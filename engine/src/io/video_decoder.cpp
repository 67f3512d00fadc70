// See video_decoder.h.
#include "io/video_decoder.h"

#include <spdlog/spdlog.h>

#include <cmath>
#include <cstdarg>
#include <cstdint>
#include <mutex>
#include <opencv2/core.hpp>

#include "atelier/error.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/display.h>
#include <libswscale/swscale.h>
}

namespace atelier::io {
namespace {

constexpr std::int64_t kMaxFramePixels = 100'000'000;  // as for pictures
// Packets in a row that do not decode before the rest of the stream is given up as damaged.
constexpr int kMaxFailuresInARow = 64;

std::string ffmpeg_error(int code) {
  char text[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(code, text, sizeof text);
  return text;
}

// FFmpeg's messages about damaged files are for developers: debug level, never standard error.
void log_to_spdlog(void* context, int level, const char* format, va_list args) {
  if (level > av_log_get_level()) return;
  char line[1024];
  int print_prefix = 1;
  av_log_format_line2(context, level, format, args, line, sizeof line, &print_prefix);
  std::string text(line);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  if (!text.empty()) spdlog::debug("ffmpeg: {}", text);
}

void route_ffmpeg_logs() {
  static std::once_flag once;
  std::call_once(once, [] {
    av_log_set_level(AV_LOG_WARNING);
    av_log_set_callback(log_to_spdlog);
  });
}

// Clockwise quarter turns that make the picture upright, from the stream's display matrix.
int upright_rotation(const AVStream* stream) {
  std::size_t size = 0;
  const std::uint8_t* matrix = av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, &size);
  if (!matrix || size < 9 * sizeof(std::int32_t)) return 0;
  const double counter_clockwise =
      av_display_rotation_get(reinterpret_cast<const int32_t*>(matrix));
  if (!std::isfinite(counter_clockwise)) return 0;
  const long quarters = std::lround(-counter_clockwise / 90.0);
  return static_cast<int>(((quarters % 4) + 4) % 4);
}

}  // namespace

struct VideoDecoder::State {
  std::string path;
  AVFormatContext* format = nullptr;
  AVCodecContext* codec = nullptr;
  AVPacket* packet = nullptr;
  AVFrame* frame = nullptr;
  SwsContext* scaler = nullptr;
  int stream = -1;
  int quarter_turns = 0;
  bool draining = false;  // the file is read to its end; the decoder hands out what it holds
  bool finished = false;
  int failures_in_a_row = 0;

  ~State() {
    sws_freeContext(scaler);
    av_frame_free(&frame);
    av_packet_free(&packet);
    avcodec_free_context(&codec);
    avformat_close_input(&format);
  }

  // Counts a packet or frame that did not decode; true when the stream is given up.
  bool give_up_after_failure(int code) {
    if (++failures_in_a_row <= kMaxFailuresInARow) return false;
    spdlog::warn("{}: decoding stopped, the rest of the stream is damaged ({})", path,
                 ffmpeg_error(code));
    return true;
  }

  void check_frame() const {
    const std::int64_t w = frame->width, h = frame->height;
    if (w <= 0 || h <= 0 || frame->format < 0) {
      throw bad_input(path + ": a frame without a valid picture size or format");
    }
    if (w > kMaxFramePixels || h > kMaxFramePixels || w * h > kMaxFramePixels) {
      throw bad_input(path + ": its frames are " + std::to_string(w) + "x" + std::to_string(h) +
                      " pixels; videos above 100 megapixels per frame are refused");
    }
  }
};

VideoDecoder::VideoDecoder(const std::string& path) : state_(std::make_unique<State>()) {
  route_ffmpeg_logs();
  State& s = *state_;
  s.path = path;
  // "file:" so that a name like "concat:a|b" is a name, and only local files may be opened.
  AVDictionary* options = nullptr;
  av_dict_set(&options, "protocol_whitelist", "file", 0);
  const int opened = avformat_open_input(&s.format, ("file:" + path).c_str(), nullptr, &options);
  av_dict_free(&options);
  if (opened < 0) throw bad_input(path + ": not a readable video (" + ffmpeg_error(opened) + ")");
  if (avformat_find_stream_info(s.format, nullptr) < 0) {
    throw bad_input(path + ": not a readable video (its streams cannot be read)");
  }
  const AVCodec* decoder = nullptr;
  s.stream = av_find_best_stream(s.format, AVMEDIA_TYPE_VIDEO, -1, -1, &decoder, 0);
  if (s.stream == AVERROR_DECODER_NOT_FOUND) {
    throw bad_input(path + ": its video codec is not one this FFmpeg can decode");
  }
  if (s.stream < 0 || !decoder) throw bad_input(path + ": has no video stream");
  const AVStream* stream = s.format->streams[s.stream];
  s.codec = avcodec_alloc_context3(decoder);
  s.packet = av_packet_alloc();
  s.frame = av_frame_alloc();
  if (!s.codec || !s.packet || !s.frame) throw bad_input(path + ": out of memory opening it");
  if (avcodec_parameters_to_context(s.codec, stream->codecpar) < 0 ||
      avcodec_open2(s.codec, decoder, nullptr) < 0) {
    throw bad_input(path + ": its video decoder does not accept the stream's parameters");
  }
  s.quarter_turns = upright_rotation(stream);
}

VideoDecoder::~VideoDecoder() = default;

double VideoDecoder::fps() const {
  const AVRational rate =
      av_guess_frame_rate(state_->format, state_->format->streams[state_->stream], nullptr);
  return rate.num > 0 && rate.den > 0 ? av_q2d(rate) : 0.0;
}

bool VideoDecoder::next() {
  State& s = *state_;
  while (!s.finished) {
    const int received = avcodec_receive_frame(s.codec, s.frame);
    if (received == 0) {
      s.failures_in_a_row = 0;
      s.check_frame();
      return true;
    }
    if (received == AVERROR_EOF) break;
    if (received != AVERROR(EAGAIN)) {
      if (s.give_up_after_failure(received)) break;
      continue;
    }
    if (s.draining) break;  // a decoder in draining mode never asks for more input
    const int read = av_read_frame(s.format, s.packet);
    if (read < 0) {
      if (read != AVERROR_EOF)
        spdlog::debug("{}: reading stopped ({})", s.path, ffmpeg_error(read));
      s.draining = true;
      avcodec_send_packet(s.codec, nullptr);
      continue;
    }
    if (s.packet->stream_index != s.stream) {
      av_packet_unref(s.packet);
      continue;
    }
    const int sent = avcodec_send_packet(s.codec, s.packet);
    av_packet_unref(s.packet);
    if (sent < 0 && sent != AVERROR(EAGAIN) && s.give_up_after_failure(sent)) break;
  }
  s.finished = true;
  return false;
}

cv::Mat VideoDecoder::bgr() const {
  State& s = *state_;
  const AVFrame& f = *s.frame;
  s.scaler =
      sws_getCachedContext(s.scaler, f.width, f.height, AVPixelFormat(f.format), f.width, f.height,
                           AV_PIX_FMT_BGR24, SWS_BILINEAR, nullptr, nullptr, nullptr);
  if (!s.scaler) throw bad_input(s.path + ": a frame in a pixel format that cannot be converted");
  // Room beyond the picture: swscale's vector code may write a little past a row's end.
  cv::Mat padded(f.height + 1, f.width + 32, CV_8UC3);
  std::uint8_t* planes[4] = {padded.data, nullptr, nullptr, nullptr};
  int strides[4] = {static_cast<int>(padded.step[0]), 0, 0, 0};
  sws_scale(s.scaler, f.data, f.linesize, 0, f.height, planes, strides);
  const cv::Mat picture = padded(cv::Rect(0, 0, f.width, f.height));
  if (s.quarter_turns == 0) return picture;
  cv::Mat upright;
  static const cv::RotateFlags kTurns[] = {cv::ROTATE_90_CLOCKWISE, cv::ROTATE_180,
                                           cv::ROTATE_90_COUNTERCLOCKWISE};
  cv::rotate(picture, upright, kTurns[s.quarter_turns - 1]);
  return upright;
}

}  // namespace atelier::io
