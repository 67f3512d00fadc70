#include "methods/videogen/trainer.h"

#include <torch/nn/functional/loss.h>

#include <algorithm>
#include <cmath>

#include "atelier/error.h"
#include "core/archive_tensors.h"
#include "core/device.h"
#include "core/guard.h"
#include "core/log.h"
#include "core/tensor_image.h"
#include "io/memory_budget.h"
#include "nn/generator_stack.h"
#include "nn/train_utils.h"
#include "nn/wgan.h"

namespace atelier::videogen {
namespace {

constexpr int kThumbnailSide = 128;
constexpr int kPreviewFrames = 8;
constexpr std::uint64_t kPreviewSeedOffset = 0x5EED;

std::vector<std::pair<std::string, double>> named(const Trainer::Losses& l, bool vae) {
  if (vae) return {{"rec", l.rec}, {"kl", l.kl}};
  return {{"d", l.d}, {"gp", l.gp}, {"adv", l.adv}, {"rec", l.rec}};
}

torch::optim::AdamOptions adam_options(double lr, const VideogenParams& p) {
  return torch::optim::AdamOptions(lr).betas({p.beta1, p.beta2});
}

// KL(N(mu, sigma) || N(0, 1)) per latent value.
torch::Tensor kl_divergence(const Encoded& e) {
  return -0.5 * torch::mean(1 + e.logvar - e.mu.pow(2) - e.logvar.exp());
}

std::vector<torch::Tensor> all_parameters(const std::vector<torch::nn::Module*>& modules) {
  std::vector<torch::Tensor> out;
  for (auto* m : modules)
    for (auto& p : m->parameters()) out.push_back(p);
  return out;
}

}  // namespace

using nn::set_trainable;

Trainer::Trainer(const Preset& preset, const TrainOptions& options, const Callbacks& callbacks)
    : params_(VideogenParams::from_preset(preset)),
      preset_name_(preset.size),
      options_(options),
      callbacks_(callbacks) {}

int Trainer::first_trainable() const {
  const int floor = is_vae_level(pos_.scale) ? 0 : params_.vae_levels;
  return std::max(floor, pos_.scale - params_.train_depth + 1);
}

void Trainer::prepare(const Video& clip) {
  device_ = prepare_compute(options_.compute, options_.seed);
  start_fresh(clip);
}

void Trainer::next_level() {
  ++pos_.scale;
  pos_.scale_step = 0;
  enter_level(pos_.scale, false, nullptr);
}

double Trainer::iteration_flops() const {
  // A backward pass costs two forwards; the gradient penalty six (see singan's trainer).
  const int k = pos_.scale;
  const int first = first_trainable();
  auto at = [this](const torch::nn::Module& m, int j) {
    const LevelSize s = stack_.sizes[j];
    return nn::conv3d_forward_flops(m, s.frames, s.height, s.width);
  };
  double frozen = 0, trainable = 0;
  const bool vae = vae_trainable();
  (vae ? trainable : frozen) += at(*stack_.decoder, 0);
  if (is_vae_level(k)) (vae ? trainable : frozen) += at(*stack_.encoder, 0);
  for (int j = 1; j <= k; ++j) (j < first ? frozen : trainable) += at(*stack_.refiners[j - 1], j);
  if (is_vae_level(k)) return frozen + 3 * trainable;
  const LevelSize s = stack_.sizes[k];
  const int crop = params_.critic_crop;
  const double critic =
      nn::conv3d_forward_flops(*critic_, s.frames, crop > 0 ? std::min(crop, s.height) : s.height,
                               crop > 0 ? std::min(crop, s.width) : s.width);
  return frozen + params_.d_steps * 12 * critic + params_.g_steps * (6 * trainable + 2 * critic);
}

TrainResult Trainer::run(const Video& clip) {
  device_ = prepare_compute(options_.compute, options_.seed);
  if (options_.out.empty()) options_.out = options_.resume;
  if (options_.out.empty()) throw usage_error("training videogen: no output model file given");
  if (!options_.resume.empty()) {
    start_from_file(options_.resume);
  } else {
    start_fresh(clip);
  }
  loop_ =
      std::make_unique<ScaleLoop>(kMethod, options_, callbacks_, clock_stages(), elapsed_before_s_);
  ScaleLoopHooks hooks;
  hooks.iterate = [this] { return named(iterate(), is_vae_level(pos_.scale)); };
  hooks.next_scale = [this] { enter_level(pos_.scale, false, nullptr); };
  hooks.preview = [this] { preview(); };
  hooks.save = [this](bool finished) { save(finished); };
  hooks.describe = [this](int k) {
    const LevelSize s = stack_.sizes[k];
    return std::to_string(s.width) + "x" + std::to_string(s.height) + "x" +
           std::to_string(s.frames) + (is_vae_level(k) ? " VAE" : " GAN");
  };
  return loop_->run(pos_, hooks);
}

void Trainer::start_fresh(const Video& clip) {
  const int have = static_cast<int>(clip.frames.size());
  if (have < params_.frames) {
    throw bad_input("training videogen: the clip has " + std::to_string(have) +
                    (have == 1 ? " frame" : " frames") + "; the preset needs " +
                    std::to_string(params_.frames) + " (choose a longer clip or set frames lower)");
  }
  if (!(clip.fps > 0)) throw bad_input("training videogen: the clip has no frame rate");
  Video fitted;
  fitted.fps = clip.fps;
  for (int i = 0; i < params_.frames; ++i) {
    fitted.frames.push_back(fit_within(clip.frames[i], params_.max_size));
  }
  if (fitted.width() != clip.width() || fitted.height() != clip.height()) {
    log::info("videogen: the {}x{} clip is trained at {}x{} (max_size {})", clip.width(),
              clip.height(), fitted.width(), fitted.height(), params_.max_size);
  }
  try {
    stack_.sizes = level_sizes(fitted.width(), fitted.height(), params_);
  } catch (const Error& e) {
    throw Error(e.kind(), std::string("training videogen: ") + e.what());
  }
  require_training_memory();
  fps_ = clip.fps;
  const torch::Tensor full = video_to_tensor(fitted, device_);
  reals_.clear();
  for (const LevelSize& s : stack_.sizes) {
    // Area-like shrinking in space per frame (antialiased), then linear in time.
    const torch::Tensor frames = resize_tensor(full[0].transpose(0, 1), s.width, s.height);
    reals_.push_back(
        resize_clip(frames.transpose(0, 1).unsqueeze(0).contiguous(), s.frames, s.height, s.width));
  }
  std::string sizes;
  for (const LevelSize& s : stack_.sizes) {
    sizes += " " + std::to_string(s.width) + "x" + std::to_string(s.height) + "x" +
             std::to_string(s.frames);
  }
  log::info("videogen: {} levels ({} VAE):{}", stack_.sizes.size(), params_.vae_levels, sizes);
  stack_.latent_channels = params_.latent_channels;
  stack_.encoder = VaeEncoder(encoder_options(params_));
  stack_.decoder = VaeDecoder(decoder_options(params_));
  stack_.encoder->to(device_);
  stack_.decoder->to(device_);
  pos_.scale = 0;
  pos_.scale_step = 0;
  enter_level(0, false, nullptr);
}

void Trainer::require_training_memory() const {
  // The finest level costs most: its refiners trained together (sample and reconstruction
  // passes) and its critic with the gradient penalty.
  const LevelSize finest = stack_.sizes.back();
  const double voxels = double(finest.width) * finest.height * finest.frames;
  const double net = conv_training_bytes(voxels, params_.channels, params_.layers);
  const int depth = std::min<int>(params_.train_depth, static_cast<int>(stack_.sizes.size()));
  require_memory(2 * depth * net + 3 * net,
                 "training videogen at " + std::to_string(finest.width) + "x" +
                     std::to_string(finest.height) + " with " + std::to_string(finest.frames) +
                     " frames (" + std::to_string(params_.channels) + " channels)",
                 "lower max_size, frames or channels (--set max_size=N ...)");
}

void Trainer::start_from_file(const std::string& path) {
  const RawModelArchive archive = read_resumable_archive(path, kMethod);
  const VideogenParams stored = stored_params(archive);
  if (stored.to_json() != params_.to_json()) {
    log::info("videogen: resuming {} with the parameters stored in it, not the preset's", path);
  }
  params_ = stored;
  preset_name_ = archive.info.preset;
  const Position position = stored_position(archive, kMethod);
  stack_ = get_stack(archive, params_, device_);
  require_training_memory();
  reals_ = get_reals(archive, level_count(), device_);
  fps_ = stored_fps(archive);
  if (position.scale + 1 != stack_.trained() || position.scale_step < 0 ||
      position.scale_step > iterations(position.scale)) {
    throw bad_input(path + ": the training position does not match the stored levels");
  }
  pos_.scale = position.scale;
  pos_.scale_step = position.scale_step;
  pos_.global_step = archive.info.step;
  elapsed_before_s_ = position.elapsed_s;
  seed_everything(options_.seed +
                  0x9E3779B97F4A7C15ULL * static_cast<std::uint64_t>(pos_.global_step));
  enter_level(pos_.scale, true, &archive);
}

void Trainer::enter_level(int k, bool resumed, const RawModelArchive* archive) {
  if (!resumed && k > 0) {
    double amp = 0;  // VAE levels refine without noise: their variety comes from the latent
    if (!is_vae_level(k)) {
      torch::NoGradGuard no_grad;
      stack_.freeze(true, 1, k - 1);
      const LevelSize s = stack_.sizes[k];
      amp = nn::noise_amplitude(
          reals_[k], resize_clip(stack_.reconstruct(reals_[0], k - 1), s.frames, s.height, s.width),
          params_.noise_amp);
    }
    LevelGenerator refiner(generator_options(params_));
    refiner->to(device_);
    if (k > 1) nn::copy_weights(*stack_.refiners[k - 2], *refiner);  // same width at every level
    stack_.refiners.push_back(refiner);
    stack_.amps.push_back(amp);
    log::debug("videogen: level {} noise amplitude {:.4f}", k + 1, amp);
  } else if (!resumed) {
    stack_.amps.assign(1, 0.0);
  }
  if (!is_vae_level(k)) {
    Critic critic(critic_options(params_));
    critic->to(device_);
    if (resumed) {
      get_module(*archive, "d", *critic);
    } else if (critic_) {
      nn::copy_weights(*critic_, *critic);
    }
    critic_ = critic;
    critic_->train();
  }

  const int first = first_trainable();
  stack_.freeze(!vae_trainable(), 1, first - 1);
  std::vector<torch::optim::OptimizerParamGroup> groups;
  group_ages_.clear();
  auto add_group = [&](std::vector<torch::nn::Module*> modules, int age) {
    for (auto* m : modules) {
      m->train();
      set_trainable(*m, true);
    }
    groups.emplace_back(all_parameters(modules), std::make_unique<torch::optim::AdamOptions>(
                                                     adam_options(params_.lr_g, params_)));
    group_ages_.push_back(age);
  };
  if (vae_trainable()) add_group({stack_.encoder.get(), stack_.decoder.get()}, k);
  for (int j = std::max(1, first); j <= k; ++j) add_group({stack_.refiners[j - 1].get()}, k - j);
  opt_g_ = std::make_unique<nn::FusedAdam>(std::move(groups), adam_options(params_.lr_g, params_));
  opt_d_.reset();
  if (critic_ && !is_vae_level(k)) {
    opt_d_ =
        std::make_unique<nn::FusedAdam>(critic_->parameters(), adam_options(params_.lr_d, params_));
  }
  if (resumed) {
    get_adam(*archive, "adam_g", *opt_g_);
    if (opt_d_) get_adam(*archive, "adam_d", *opt_d_);
  }
  rec_prev_ = torch::Tensor();
  if (!is_vae_level(k)) {
    torch::NoGradGuard no_grad;
    rec_prev_ = stack_.reconstruct(reals_[0], first - 1);
  }
  set_learning_rates();
}

void Trainer::set_learning_rates() {
  const bool decayed = pos_.scale_step >= params_.lr_decay_at * iterations(pos_.scale);
  const double decay = decayed ? params_.lr_decay : 1.0;
  nn::set_stage_learning_rates(*opt_g_, group_ages_, params_.lr_g, params_.lr_scale, opt_d_.get(),
                               params_.lr_d, decay);
}

Trainer::Losses Trainer::iterate() {
  set_learning_rates();
  return is_vae_level(pos_.scale) ? iterate_vae() : iterate_gan();
}

Trainer::Losses Trainer::iterate_vae() {
  const int k = pos_.scale;
  const int first = first_trainable();
  const std::vector<torch::Tensor> no_noise(stack_.sizes.size());
  Losses losses;
  opt_g_->zero_grad();
  torch::Tensor clip, kl;
  if (vae_trainable()) {
    const Encoded e = stack_.encoder->forward(reals_[0]);
    const torch::Tensor z = e.mu + torch::randn_like(e.mu) * (0.5 * e.logvar).exp();
    clip = stack_.refine(1, k, stack_.decoder->forward(z), no_noise, stack_.sizes);
    kl = kl_divergence(e);
  } else {
    torch::Tensor prev;
    {
      torch::NoGradGuard no_grad;
      const Encoded e = stack_.encoder->forward(reals_[0]);
      const torch::Tensor z = e.mu + torch::randn_like(e.mu) * (0.5 * e.logvar).exp();
      prev = stack_.generate(z, first - 1, no_noise, stack_.sizes);
    }
    clip = stack_.refine(first, k, prev, no_noise, stack_.sizes);
  }
  const torch::Tensor rec = torch::mse_loss(clip, reals_[k]);
  torch::Tensor loss = params_.rec_weight * rec;
  if (kl.defined()) loss = loss + params_.kl_weight * kl;
  loss.backward();
  opt_g_->step();
  losses.rec = rec.item<double>();
  losses.kl = kl.defined() ? kl.item<double>() : 0.0;
  return losses;
}

std::pair<torch::Tensor, torch::Tensor> Trainer::crop_pair(const torch::Tensor& a,
                                                           const torch::Tensor& b) {
  const int crop = params_.critic_crop;
  const std::int64_t h = a.size(3), w = a.size(4);
  if (crop <= 0 || (crop >= h && crop >= w)) return {a, b};
  const std::int64_t ch = std::min<std::int64_t>(crop, h), cw = std::min<std::int64_t>(crop, w);
  const std::int64_t y = torch::randint(h - ch + 1, {1}).item<std::int64_t>();
  const std::int64_t x = torch::randint(w - cw + 1, {1}).item<std::int64_t>();
  auto cut = [&](const torch::Tensor& t) { return t.narrow(3, y, ch).narrow(4, x, cw); };
  return {cut(a), cut(b)};
}

Trainer::Losses Trainer::iterate_gan() {
  const int k = pos_.scale;
  const int first = first_trainable();
  const std::vector<LevelSize>& sizes = stack_.sizes;
  const torch::Tensor& real = reals_[k];
  const std::vector<torch::Tensor> noise = draw_noise(sizes, 0, k, device_);
  torch::Tensor prev;  // what the frozen levels give the first trainable one
  {
    torch::NoGradGuard no_grad;
    const torch::Tensor z = draw_latent(sizes[0], params_.latent_channels, 1.0, device_);
    prev = stack_.generate(z, first - 1, noise, sizes);
  }
  Losses losses;

  // The sample with its graph: the critic steps judge it, and the first generator step trains on
  // it, as SinGAN reuses its fake (the generators do not change during the critic steps).
  torch::Tensor fake = stack_.refine(first, k, prev, noise, sizes);
  set_trainable(*critic_, true);
  auto critic = [this](const torch::Tensor& x) { return critic_->forward(x); };
  for (int i = 0; i < params_.d_steps; ++i) {
    opt_d_->zero_grad();
    const auto [real_crop, fake_crop] = crop_pair(real, fake.detach());
    const torch::Tensor score_real = critic_->forward(real_crop).mean();
    const torch::Tensor score_fake = critic_->forward(fake_crop).mean();
    const torch::Tensor gp =
        nn::gradient_penalty(critic, real_crop, fake_crop, nn::PenaltyNorm::PerPixel);
    (score_fake - score_real + params_.gp_weight * gp).backward();
    opt_d_->step();
    if (i + 1 == params_.d_steps) {
      losses.d = (score_real - score_fake).item<double>();
      losses.gp = gp.item<double>();
    }
  }

  set_trainable(*critic_, false);
  const std::vector<torch::Tensor> no_noise(sizes.size());
  for (int i = 0; i < params_.g_steps; ++i) {
    opt_g_->zero_grad();
    if (i > 0) fake = stack_.refine(first, k, prev, noise, sizes);  // the updated generators
    const torch::Tensor adv = -critic_->forward(crop_pair(fake, fake).first).mean();
    const torch::Tensor rec =
        torch::mse_loss(stack_.refine(first, k, rec_prev_, no_noise, sizes), real);
    (adv + params_.rec_weight * rec).backward();
    opt_g_->step();
    if (i + 1 == params_.g_steps) {
      losses.adv = adv.item<double>();
      losses.rec = rec.item<double>();
    }
  }
  return losses;
}

std::vector<ProgressClock::Stage> Trainer::clock_stages() const {
  std::vector<ProgressClock::Stage> stages;
  for (int k = 0; k < level_count(); ++k) {
    // A step's cost: the voxels of the levels it trains (a GAN step costs about three times a
    // VAE step: the critic), plus a fixed per-step overhead (measured: small levels are
    // dominated by per-operation costs).
    double cost = 16 * 16 * 64;
    const int floor = is_vae_level(k) ? 0 : params_.vae_levels;
    for (int j = std::max(floor, k - params_.train_depth + 1); j <= k; ++j) {
      const LevelSize s = stack_.sizes[j];
      cost += static_cast<double>(s.width) * s.height * s.frames * (is_vae_level(k) ? 1 : 3);
    }
    stages.push_back({"train", k + 1, iterations(k), cost});
  }
  return stages;
}

void Trainer::preview() {
  if (!callbacks_.on_preview) return;
  torch::NoGradGuard no_grad;
  std::vector<torch::nn::Module*> trainable;
  for (auto* m : std::vector<torch::nn::Module*>{stack_.encoder.get(), stack_.decoder.get()})
    trainable.push_back(m);
  for (auto& r : stack_.refiners) trainable.push_back(r.get());
  std::vector<bool> was_training;
  for (auto* m : trainable) {
    was_training.push_back(m->is_training());
    m->eval();
  }
  auto generator = nn::seeded_generator(options_.seed + kPreviewSeedOffset);
  const torch::Tensor z =
      draw_latent(stack_.sizes[0], params_.latent_channels, 1.0, device_, generator);
  const auto noise = draw_noise(stack_.sizes, 0, pos_.scale, device_, generator);
  const Video sample = tensor_to_video(stack_.generate(z, pos_.scale, noise, stack_.sizes), fps_);
  for (std::size_t i = 0; i < trainable.size(); ++i) trainable[i]->train(was_training[i]);
  // A row of evenly spaced frames.
  std::vector<Image> frames;
  const int n = static_cast<int>(sample.frames.size());
  const int shown = std::min(n, kPreviewFrames);
  for (int i = 0; i < shown; ++i)
    frames.push_back(sample.frames[i * (n - 1) / std::max(1, shown - 1)]);
  callbacks_.preview(make_grid(frames, shown));
}

void Trainer::save(bool finished) {
  RawModelArchive archive;
  archive.info.method = kMethod;
  archive.info.preset = preset_name_;
  archive.info.params = params_.to_json();
  archive.info.step = pos_.global_step;
  archive.info.seed = options_.seed;
  archive.info.finished = finished;
  const Video clip = tensor_to_video(reals_.back(), fps_);
  archive.info.thumbnail = fit_within(clip.frames.front(), kThumbnailSide);
  const Position position = position_to_store(pos_, level_count(), finished,
                                              loop_ ? loop_->elapsed_s() : elapsed_before_s_);
  put_stack(archive, stack_, reals_, fps_, position);
  if (!finished) {
    if (critic_ && !is_vae_level(pos_.scale)) put_module(archive, "d", *critic_);
    put_adam(archive, "adam_g", *opt_g_);
    if (opt_d_) put_adam(archive, "adam_d", *opt_d_);
  }
  write_raw_model_archive(options_.out, archive);
}

}  // namespace atelier::videogen

namespace atelier {

TrainResult train_videogen(const Video& clip, const Preset& preset, const TrainOptions& options,
                           const Callbacks& callbacks) {
  return guarded("training videogen", [&] {
    videogen::Trainer trainer(preset, options, callbacks);
    return trainer.run(clip);
  });
}

}  // namespace atelier
