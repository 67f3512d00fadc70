#include "methods/singan/trainer.h"

#include <torch/nn/functional/loss.h>

#include <cmath>
#include <utility>

#include "atelier/error.h"
#include "core/archive_tensors.h"
#include "core/device.h"
#include "core/guard.h"
#include "core/log.h"
#include "core/tensor_image.h"
#include "nn/train_utils.h"
#include "nn/wgan.h"

namespace atelier::singan {
namespace {

constexpr int kThumbnailSide = 128;
constexpr std::uint64_t kPreviewSeedOffset = 0x5EED;

// d: the critic's Wasserstein estimate, gp: gradient penalty, adv: generator's adversarial loss,
// rec: reconstruction MSE (unweighted).
std::vector<std::pair<std::string, double>> named(const Trainer::Losses& l) {
  return {{"d", l.d}, {"gp", l.gp}, {"adv", l.adv}, {"rec", l.rec}};
}

torch::optim::AdamOptions adam_options(double lr, const SinganParams& p) {
  return torch::optim::AdamOptions(lr).betas({p.beta1, p.beta2});
}

}  // namespace

using nn::copy_weights;
using nn::set_trainable;

Trainer::Trainer(const Preset& preset, const TrainOptions& options, const Callbacks& callbacks)
    : params_(SinganParams::from_preset(preset)),
      preset_name_(preset.size),
      options_(options),
      callbacks_(callbacks) {}

void Trainer::require_memory_for(const std::vector<ScaleSize>& sizes) const {
  nn::require_pyramid_training_memory(
      kMethod, sizes, params_.train_depth, params_.layers, 1,
      [this](int k) { return generator_options(params_, k).width; });
}

int Trainer::first_trainable() const {
  return std::max(0, pos_.scale - params_.train_depth + 1);
}

void Trainer::prepare(const Image& image) {
  device_ = prepare_compute(options_.compute, options_.seed);
  start_fresh(image);
}

void Trainer::next_scale() {
  ++pos_.scale;
  pos_.scale_step = 0;
  enter_scale(pos_.scale, false, nullptr);
}

double Trainer::iteration_flops() const {
  // Forward FLOPs of the real conv layers, times the passes an iteration makes: a backward pass
  // costs two forwards (input and weight gradients); the gradient penalty costs six (forward, the
  // input gradient with its graph, and the backward of both).
  const int k = pos_.scale;
  const int first = first_trainable();
  auto g = [this](int j) {
    const ScaleSize s = stack_.sizes[j];
    return nn::conv_forward_flops(*stack_.generators[j], s.height, s.width);
  };
  double frozen = 0, trainable = 0;
  for (int j = 0; j < first; ++j) frozen += g(j);
  for (int j = first; j <= k; ++j) trainable += g(j);
  const ScaleSize s = stack_.sizes[k];
  const double critic = nn::conv_forward_flops(*critic_, s.height, s.width);
  // Critic step: real and fake forward + backward (3 + 3), penalty (6). Generator step: the
  // sample and the reconstruction forward + backward (2 x 3), critic forward + input gradient (2).
  return frozen + params_.d_steps * 12 * critic + params_.g_steps * (6 * trainable + 2 * critic);
}

TrainResult Trainer::run(const Image& image) {
  device_ = prepare_compute(options_.compute, options_.seed);
  if (options_.out.empty()) options_.out = options_.resume;
  if (options_.out.empty()) throw usage_error("training singan: no output model file given");
  if (!options_.resume.empty()) {
    start_from_file(options_.resume);
  } else {
    start_fresh(image);
  }
  loop_ = std::make_unique<ScaleLoop>(
      kMethod, options_, callbacks_,
      pyramid_training_stages(stack_.sizes, params_.train_depth, params_.iterations),
      elapsed_before_s_);
  ScaleLoopHooks hooks;
  hooks.iterate = [this] { return named(iterate()); };
  hooks.next_scale = [this] { enter_scale(pos_.scale, false, nullptr); };
  hooks.preview = [this] { preview(); };
  hooks.save = [this](bool finished) { save(finished); };
  hooks.describe = [this](int k) {
    const ScaleSize s = stack_.sizes[k];
    return std::to_string(s.width) + "x" + std::to_string(s.height);
  };
  return loop_->run(pos_, hooks);
}

void Trainer::start_fresh(const Image& image) {
  if (image.empty()) throw bad_input("training singan: the image is empty");
  const PyramidSpec spec{params_.min_size, params_.max_size, params_.scale_factor, params_.scales,
                         params_.uneven_scales};
  // Shrink first (area filter, 8-bit) so that a huge photo never reaches the device whole.
  const Image fitted = fit_within(image, params_.max_size);
  if (fitted.width != image.width || fitted.height != image.height) {
    log::info("singan: the {}x{} image is trained at {}x{} (max_size {})", image.width,
              image.height, fitted.width, fitted.height, params_.max_size);
  }
  try {
    stack_.sizes = pyramid_sizes(fitted.width, fitted.height, spec);
  } catch (const Error& e) {
    throw Error(e.kind(), std::string("training singan: ") + e.what());
  }
  require_memory_for(stack_.sizes);
  reals_ = build_pyramid(image_to_tensor(fitted, device_), stack_.sizes);
  const ScaleSize s0 = stack_.sizes[0];
  stack_.rec_noise =
      torch::randn({1, 3, s0.height, s0.width}, torch::dtype(torch::kFloat).device(device_));
  std::string sizes;
  for (const ScaleSize& s : stack_.sizes)
    sizes += " " + std::to_string(s.width) + "x" + std::to_string(s.height);
  log::info("singan: {} scales:{}", stack_.sizes.size(), sizes);
  pos_.scale = 0;
  pos_.scale_step = 0;
  enter_scale(0, false, nullptr);
}

void Trainer::start_from_file(const std::string& path) {
  const RawModelArchive archive = read_resumable_archive(path, kMethod);
  const SinganParams stored = stored_params(archive);
  if (stored.to_json() != params_.to_json()) {
    log::info("singan: resuming {} with the parameters stored in it, not the preset's", path);
  }
  params_ = stored;
  preset_name_ = archive.info.preset;
  const Position position = stored_position(archive, kMethod);
  stack_ = get_stack(archive, params_, device_);
  require_memory_for(stack_.sizes);
  reals_ = get_reals(archive, static_cast<int>(stack_.sizes.size()), device_);
  if (position.scale + 1 != stack_.trained() || position.scale_step < 0 ||
      position.scale_step > params_.iterations) {
    throw bad_input(path + ": the training position does not match the stored scales");
  }
  pos_.scale = position.scale;
  pos_.scale_step = position.scale_step;
  pos_.global_step = archive.info.step;
  elapsed_before_s_ = position.elapsed_s;
  // A fresh noise stream for the rest of the run (not a replay of the first steps' noise).
  seed_everything(options_.seed +
                  0x9E3779B97F4A7C15ULL * static_cast<std::uint64_t>(pos_.global_step));
  enter_scale(pos_.scale, true, &archive);
}

void Trainer::enter_scale(int k, bool resumed, const RawModelArchive* archive) {
  const nn::PatchNetOptions d_options = discriminator_options(params_, k);
  if (!resumed) {
    double amp = 1.0;  // the coarsest scale starts from noise alone
    if (k > 0) {
      torch::NoGradGuard no_grad;
      for (auto& g : stack_.generators) g->eval();
      const ScaleSize s = stack_.sizes[k];
      amp = nn::noise_amplitude(reals_[k],
                                resize_tensor(stack_.reconstruct(k - 1), s.width, s.height),
                                params_.noise_amp);
    }
    nn::PatchGenerator generator(generator_options(params_, k));
    nn::PatchDiscriminator critic(d_options);
    generator->to(device_);
    critic->to(device_);
    if (params_.init_from_previous && k > 0) {
      const nn::PatchGenerator& previous = stack_.generators[k - 1];
      if (previous->options().width == generator->options().width) {
        copy_weights(*previous, *generator);
        if (critic_) copy_weights(*critic_, *critic);
      }
    }
    stack_.generators.push_back(generator);
    stack_.amps.push_back(amp);
    critic_ = critic;
    log::debug("singan: scale {} noise amplitude {:.4f}", k + 1, amp);
  } else {
    critic_ = nn::PatchDiscriminator(d_options);
    get_module(*archive, "d", *critic_);
    critic_->to(device_);
  }

  const int first = first_trainable();
  if (first > 0) stack_.freeze(0, first - 1);
  for (int j = first; j <= k; ++j) {
    stack_.generators[j]->train();
    set_trainable(*stack_.generators[j], true);
  }
  critic_->train();
  rec_prev_ = torch::Tensor();
  if (first > 0) {
    torch::NoGradGuard no_grad;
    rec_prev_ = stack_.run(0, first - 1, {}, stack_.rec_plan(), stack_.sizes);
  }

  std::vector<torch::optim::OptimizerParamGroup> groups;
  for (int j = first; j <= k; ++j) {
    groups.emplace_back(
        stack_.generators[j]->parameters(),
        std::make_unique<torch::optim::AdamOptions>(adam_options(params_.lr_g, params_)));
  }
  opt_g_ = std::make_unique<nn::FusedAdam>(std::move(groups), adam_options(params_.lr_g, params_));
  opt_d_ =
      std::make_unique<nn::FusedAdam>(critic_->parameters(), adam_options(params_.lr_d, params_));
  if (resumed) {
    get_adam(*archive, "adam_g", *opt_g_);
    get_adam(*archive, "adam_d", *opt_d_);
  }
  set_learning_rates();
}

void Trainer::set_learning_rates() {
  const bool decayed = pos_.scale_step >= params_.lr_decay_at * params_.iterations;
  const double decay = decayed ? params_.lr_decay : 1.0;
  std::vector<int> ages;  // one generator group per trained scale, oldest first
  for (int j = first_trainable(); j <= pos_.scale; ++j) ages.push_back(pos_.scale - j);
  nn::set_stage_learning_rates(*opt_g_, ages, params_.lr_g, params_.lr_scale, opt_d_.get(),
                               params_.lr_d, decay);
}

Trainer::Losses Trainer::iterate() {
  set_learning_rates();
  const int k = pos_.scale;
  const int first = first_trainable();
  const std::vector<ScaleSize>& sizes = stack_.sizes;
  const torch::Tensor& real = reals_[k];
  // One noise draw per iteration, shared by its critic and generator steps.
  const std::vector<torch::Tensor> noise = draw_noise(sizes, 0, k, device_);
  torch::Tensor prev;  // what the frozen scales give the first trainable one
  if (first > 0) {
    torch::NoGradGuard no_grad;
    prev = stack_.run(0, first - 1, {}, noise, sizes);
  }
  Losses losses;

  // The step's sample (row 0) and reconstruction (row 1), with their graph: the critic steps
  // judge the sample, and the first generator step trains on both, as SinGAN reuses its fake
  // (the generators do not change during the critic steps).
  const GeneratorStack::Pair both =
      stack_.sample_and_reconstruction(first, k, prev, noise, rec_prev_);
  const auto run = [&] { return stack_.run(first, k, both.prev, both.noise, sizes); };
  torch::Tensor out = run();
  critic_steps(real, out.narrow(0, 0, 1).detach(), losses);
  generator_steps(real, std::move(out), run, losses);
  return losses;
}

void Trainer::critic_steps(const torch::Tensor& real, const torch::Tensor& fake, Losses& losses) {
  set_trainable(*critic_, true);
  auto critic = [this](const torch::Tensor& x) { return critic_->forward(x); };
  for (int i = 0; i < params_.d_steps; ++i) {
    opt_d_->zero_grad();
    // The real picture and the sample as one batch (the patch nets normalise each on its own):
    // the same arithmetic as two passes, and batched convolutions use the CPU better.
    const torch::Tensor scores = critic_->forward(torch::cat({real, fake}));
    const torch::Tensor score_real = scores[0].mean();
    const torch::Tensor score_fake = scores[1].mean();
    const torch::Tensor gp = nn::gradient_penalty(critic, real, fake, nn::PenaltyNorm::PerPixel);
    (score_fake - score_real + params_.gp_weight * gp).backward();
    opt_d_->step();
    if (i + 1 == params_.d_steps) {
      losses.d = (score_real - score_fake).item<double>();
      losses.gp = gp.item<double>();
    }
  }
}

void Trainer::generator_steps(const torch::Tensor& real, torch::Tensor out,
                              const std::function<torch::Tensor()>& rerun, Losses& losses) {
  set_trainable(*critic_, false);  // the generator steps need no critic weight gradients
  for (int i = 0; i < params_.g_steps; ++i) {
    opt_g_->zero_grad();
    if (i > 0) out = rerun();  // the generators changed at the last step
    const torch::Tensor adv = -critic_->forward(out.narrow(0, 0, 1)).mean();
    const torch::Tensor rec = torch::mse_loss(out.narrow(0, 1, 1), real);
    (adv + params_.rec_weight * rec).backward();
    opt_g_->step();
    if (i + 1 == params_.g_steps) {
      losses.adv = adv.item<double>();
      losses.rec = rec.item<double>();
    }
  }
}

void Trainer::preview() {
  if (!callbacks_.on_preview) return;
  torch::NoGradGuard no_grad;
  const int first = first_trainable();
  for (int j = first; j <= pos_.scale; ++j) stack_.generators[j]->eval();
  auto generator = seeded_generator(options_.seed + kPreviewSeedOffset);
  const auto noise = draw_noise(stack_.sizes, 0, pos_.scale, device_, generator);
  const Image image = tensor_to_image(stack_.run(0, pos_.scale, {}, noise, stack_.sizes));
  for (int j = first; j <= pos_.scale; ++j) stack_.generators[j]->train();
  callbacks_.preview(image);
}

void Trainer::save(bool finished) {
  RawModelArchive archive;
  archive.info.method = kMethod;
  archive.info.preset = preset_name_;
  archive.info.params = params_.to_json();
  archive.info.step = pos_.global_step;
  archive.info.seed = options_.seed;
  archive.info.finished = finished;
  archive.info.thumbnail = fit_within(tensor_to_image(reals_.back()), kThumbnailSide);
  const Position position = position_to_store(pos_, static_cast<int>(stack_.sizes.size()), finished,
                                              loop_ ? loop_->elapsed_s() : elapsed_before_s_);
  put_stack(archive, stack_, reals_, position);
  if (!finished) {
    put_module(archive, "d", *critic_);
    put_adam(archive, "adam_g", *opt_g_);
    put_adam(archive, "adam_d", *opt_d_);
  }
  write_raw_model_archive(options_.out, archive);
}

}  // namespace atelier::singan

namespace atelier {

TrainResult train_singan(const Image& image, const Preset& preset, const TrainOptions& options,
                         const Callbacks& callbacks) {
  return guarded("training singan", [&] {
    singan::Trainer trainer(preset, options, callbacks);
    return trainer.run(image);
  });
}

}  // namespace atelier
