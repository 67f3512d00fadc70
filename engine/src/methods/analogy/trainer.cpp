#include "methods/analogy/trainer.h"

#include <torch/nn/functional/loss.h>

#include <cmath>

#include "atelier/error.h"
#include "core/archive_tensors.h"
#include "core/bench_util.h"
#include "core/device.h"
#include "core/guard.h"
#include "core/log.h"
#include "core/tensor_image.h"
#include "nn/train_utils.h"
#include "nn/wgan.h"

namespace atelier::analogy {
namespace {

constexpr int kThumbnailSide = 128;
constexpr std::uint64_t kPreviewSeedOffset = 0x5EED;
constexpr Domain kDomains[] = {Domain::A, Domain::B};

Domain other(Domain d) {
  return d == Domain::A ? Domain::B : Domain::A;
}

std::vector<std::pair<std::string, double>> named(const Trainer::Losses& l) {
  return {{"d", l.d},         {"gp", l.gp},   {"adv", l.adv},
          {"trans", l.trans}, {"rec", l.rec}, {"cyc", l.cyc}};
}

torch::optim::AdamOptions adam_options(double lr, const AnalogyParams& p) {
  return torch::optim::AdamOptions(lr).betas({p.beta1, p.beta2});
}

std::string d_key(Domain d) {
  return prefix(d) + std::string("d");
}

}  // namespace

using nn::copy_weights;
using nn::set_trainable;

Trainer::Trainer(const Preset& preset, const TrainOptions& options, const Callbacks& callbacks)
    : params_(AnalogyParams::from_preset(preset)),
      preset_name_(preset.size),
      options_(options),
      callbacks_(callbacks) {}

int Trainer::first_trainable() const {
  return std::max(0, pos_.scale - params_.train_depth + 1);
}

void Trainer::prepare(const Image& a, const Image& b) {
  device_ = prepare_compute(options_.compute, options_.seed);
  start_fresh(a, b);
}

void Trainer::next_scale() {
  ++pos_.scale;
  pos_.scale_step = 0;
  enter_scale(pos_.scale, false, nullptr);
}

TrainResult Trainer::run(const Image& a, const Image& b) {
  device_ = prepare_compute(options_.compute, options_.seed);
  if (options_.out.empty()) options_.out = options_.resume;
  if (options_.out.empty()) throw usage_error("training analogy: no output model file given");
  if (!options_.resume.empty()) {
    start_from_file(options_.resume);
  } else {
    start_fresh(a, b);
  }
  loop_ = std::make_unique<ScaleLoop>(
      kMethod, options_, callbacks_,
      pyramid_training_stages(sizes(), params_.train_depth, params_.iterations), elapsed_before_s_);
  ScaleLoopHooks hooks;
  hooks.iterate = [this] { return named(iterate()); };
  hooks.next_scale = [this] { enter_scale(pos_.scale, false, nullptr); };
  hooks.preview = [this] { preview(); };
  hooks.save = [this](bool finished) { save(finished); };
  hooks.describe = [this](int k) {
    const ScaleSize s = sizes()[k];
    return std::to_string(s.width) + "x" + std::to_string(s.height);
  };
  return loop_->run(pos_, hooks);
}

void Trainer::require_memory_for(const std::vector<ScaleSize>& sizes) const {
  const int scales = static_cast<int>(sizes.size());
  nn::require_pyramid_training_memory(
      kMethod, sizes, params_.train_depth, params_.layers, 2,
      [&](int k) { return generator_options(params_, k, scales).width; });
}

void Trainer::start_fresh(const Image& a, const Image& b) {
  if (a.empty()) throw bad_input("training analogy: image a is empty");
  if (b.empty()) throw bad_input("training analogy: image b is empty");
  if (a.width != b.width || a.height != b.height) {
    throw bad_input("training analogy: the pair must have one size, but a is " +
                    std::to_string(a.width) + "x" + std::to_string(a.height) + " and b is " +
                    std::to_string(b.width) + "x" + std::to_string(b.height) +
                    "; crop or resize one of them to the other's size");
  }
  const PyramidSpec spec{params_.min_size, params_.max_size, params_.scale_factor, params_.scales,
                         params_.uneven_scales};
  const Image fitted_a = fit_within(a, params_.max_size);
  const Image fitted_b = fit_within(b, params_.max_size);
  if (fitted_a.width != a.width || fitted_a.height != a.height) {
    log::info("analogy: the {}x{} pair is trained at {}x{} (max_size {})", a.width, a.height,
              fitted_a.width, fitted_a.height, params_.max_size);
  }
  std::vector<ScaleSize> sizes;
  try {
    sizes = pyramid_sizes(fitted_a.width, fitted_a.height, spec);
  } catch (const Error& e) {
    throw Error(e.kind(), std::string("training analogy: ") + e.what());
  }
  require_memory_for(sizes);
  for (const auto& [target, image] : {std::pair{&a_, &fitted_a}, std::pair{&b_, &fitted_b}}) {
    target->stack.sizes = sizes;
    target->reals = build_pyramid(image_to_tensor(*image, device_), sizes);
    target->stack.rec_noise = torch::randn({1, 3, sizes[0].height, sizes[0].width},
                                           torch::dtype(torch::kFloat).device(device_));
  }
  std::string text;
  for (const ScaleSize& s : sizes)
    text += " " + std::to_string(s.width) + "x" + std::to_string(s.height);
  log::info("analogy: {} scales:{}", sizes.size(), text);
  pos_.scale = 0;
  pos_.scale_step = 0;
  enter_scale(0, false, nullptr);
}

void Trainer::start_from_file(const std::string& path) {
  const RawModelArchive archive = read_resumable_archive(path, kMethod);
  const AnalogyParams stored = stored_params(archive);
  if (stored.to_json() != params_.to_json()) {
    log::info("analogy: resuming {} with the parameters stored in it, not the preset's", path);
  }
  params_ = stored;
  preset_name_ = archive.info.preset;
  const Position position = stored_position(archive, kMethod);
  a_ = get_domain(archive, Domain::A, params_, device_, true);
  b_ = get_domain(archive, Domain::B, params_, device_, true);
  require_memory_for(a_.stack.sizes);
  if (position.scale + 1 != a_.stack.trained() || b_.stack.trained() != a_.stack.trained() ||
      position.scale_step < 0 || position.scale_step > params_.iterations) {
    throw bad_input(path + ": the training position does not match the stored scales");
  }
  pos_.scale = position.scale;
  pos_.scale_step = position.scale_step;
  pos_.global_step = archive.info.step;
  elapsed_before_s_ = position.elapsed_s;
  seed_everything(options_.seed +
                  0x9E3779B97F4A7C15ULL * static_cast<std::uint64_t>(pos_.global_step));
  enter_scale(pos_.scale, true, &archive);
}

void Trainer::enter_scale(int k, bool resumed, const RawModelArchive* archive) {
  const nn::PatchNetOptions d_options = discriminator_options(params_, k);
  for (const Domain d : kDomains) {
    DomainStack& s = domain(d);
    nn::PatchDiscriminator fresh(d_options);
    if (!resumed) {
      double amp = 1.0;  // the coarsest scale starts from noise alone
      if (k > 0) {
        torch::NoGradGuard no_grad;
        for (auto& g : s.stack.generators) g->eval();
        const ScaleSize size = s.stack.sizes[k];
        amp = nn::noise_amplitude(
            s.reals[k], resize_tensor(s.stack.reconstruct(k - 1), size.width, size.height),
            params_.noise_amp);
      }
      nn::PatchGenerator generator(generator_options(params_, k, scale_count()));
      generator->to(device_);
      fresh->to(device_);
      if (params_.init_from_previous && k > 0) {
        const nn::PatchGenerator& previous = s.stack.generators[k - 1];
        const auto& po = previous->options();
        const auto& no = generator->options();
        // A direct generator does not start from a residual one: their outputs mean different
        // things.
        if (po.width == no.width && po.residual == no.residual) copy_weights(*previous, *generator);
        if (critic(d) && critic(d)->options().width == d_options.width) {
          copy_weights(*critic(d), *fresh);
        }
      }
      s.stack.generators.push_back(generator);
      s.stack.amps.push_back(amp);
    } else {
      get_module(*archive, d_key(d), *fresh);
      fresh->to(device_);
    }
    critic(d) = fresh;
  }

  const int first = first_trainable();
  std::vector<torch::optim::OptimizerParamGroup> groups;
  for (const Domain d : kDomains) {
    DomainStack& s = domain(d);
    if (first > 0) s.stack.freeze(0, first - 1);
    for (int j = first; j <= k; ++j) {
      s.stack.generators[j]->train();
      set_trainable(*s.stack.generators[j], true);
    }
    critic(d)->train();
  }
  for (int j = first; j <= k; ++j) {
    // One group per scale holding both domains' generators, so its learning rate follows its age.
    std::vector<torch::Tensor> parameters = a_.stack.generators[j]->parameters();
    for (auto& p : b_.stack.generators[j]->parameters()) parameters.push_back(p);
    groups.emplace_back(parameters, std::make_unique<torch::optim::AdamOptions>(
                                        adam_options(params_.lr_g, params_)));
  }
  rec_prev_a_ = torch::Tensor();
  rec_prev_b_ = torch::Tensor();
  if (first > 0) {
    torch::NoGradGuard no_grad;
    rec_prev_a_ = a_.stack.run(0, first - 1, {}, a_.stack.rec_plan(), sizes());
    rec_prev_b_ = b_.stack.run(0, first - 1, {}, b_.stack.rec_plan(), sizes());
  }
  opt_g_ = std::make_unique<nn::FusedAdam>(std::move(groups), adam_options(params_.lr_g, params_));
  std::vector<torch::Tensor> critic_parameters = critic_a_->parameters();
  for (auto& p : critic_b_->parameters()) critic_parameters.push_back(p);
  opt_d_ = std::make_unique<nn::FusedAdam>(critic_parameters, adam_options(params_.lr_d, params_));
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

Trainer::Side Trainer::start_side(Domain d, int k, const torch::Tensor& rec_prev) {
  const nn::GeneratorStack& stack = domain(d).stack;
  const int first = first_trainable();
  const std::vector<torch::Tensor> noise = nn::draw_noise(stack.sizes, 0, k, device_);
  torch::Tensor prev;  // what the frozen scales give the first trainable one
  if (first > 0) {
    torch::NoGradGuard no_grad;
    prev = stack.run(0, first - 1, {}, noise, stack.sizes);
  }
  Side side{d, stack.sample_and_reconstruction(first, k, prev, noise, rec_prev), {}, {}};
  generate(side, k);
  return side;
}

void Trainer::generate(Side& side, int k) const {
  const DomainStack& self = domain(side.d);
  side.both =
      self.stack.run(first_trainable(), k, side.pair.prev, side.pair.noise, self.stack.sizes);
  side.trans = translate_at(self.stack, k, domain(other(side.d)).reals[k]);
}

Trainer::Losses Trainer::iterate() {
  set_learning_rates();
  const int k = pos_.scale;
  // Both domains' samples, reconstructions and translations once, with their graphs: the critics
  // judge them and the first generator step trains on them (the generators do not change between).
  Sides sides = {start_side(Domain::A, k, rec_prev_a_), start_side(Domain::B, k, rec_prev_b_)};
  Losses losses;
  critic_steps(sides, k, losses);
  generator_steps(sides, k, losses);
  return losses;
}

void Trainer::critic_steps(const Sides& sides, int k, Losses& losses) {
  // Each critic: the real image of its domain against its sample and the translation into it.
  for (const Domain d : kDomains) set_trainable(*critic(d), true);
  torch::Tensor fakes[2];
  for (int i = 0; i < 2; ++i) {
    fakes[i] = torch::cat({sides[i].both.narrow(0, 0, 1), sides[i].trans}).detach();
  }
  for (int step = 0; step < params_.d_steps; ++step) {
    opt_d_->zero_grad();
    torch::Tensor total = torch::zeros({}, torch::dtype(torch::kFloat).device(device_));
    double d_value = 0, gp_value = 0;
    for (int i = 0; i < 2; ++i) {
      nn::PatchDiscriminator net = critic(sides[i].d);
      const torch::Tensor& real = domain(sides[i].d).reals[k];
      const torch::Tensor score_real = net->forward(real).mean();
      const torch::Tensor score_fake = net->forward(fakes[i]).mean();
      auto fn = [&net](const torch::Tensor& x) { return net->forward(x); };
      const torch::Tensor gp =
          nn::gradient_penalty(fn, real.expand_as(fakes[i]), fakes[i], nn::PenaltyNorm::PerPixel);
      total = total + score_fake - score_real + params_.gp_weight * gp;
      d_value += (score_real - score_fake).item<double>();
      gp_value += gp.item<double>();
    }
    total.backward();
    opt_d_->step();
    losses.d = d_value;
    losses.gp = gp_value;
  }
}

void Trainer::generator_steps(Sides& sides, int k, Losses& losses) {
  // Both domains' generators together: samples, reconstructions, translations and cycles.
  for (const Domain d : kDomains) set_trainable(*critic(d), false);
  for (int step = 0; step < params_.g_steps; ++step) {
    opt_g_->zero_grad();
    torch::Tensor total = torch::zeros({}, torch::dtype(torch::kFloat).device(device_));
    Losses l;
    for (Side& side : sides) {
      if (step > 0) generate(side, k);  // the generators changed at the last step
      const DomainStack& self = domain(side.d);
      const DomainStack& source = domain(other(side.d));
      const torch::Tensor scores =
          critic(side.d)->forward(torch::cat({side.both.narrow(0, 0, 1), side.trans}));
      const torch::Tensor adv = -scores[0].mean();
      const torch::Tensor trans_adv = -scores[1].mean();
      const torch::Tensor rec = torch::mse_loss(side.both.narrow(0, 1, 1), self.reals[k]);
      const torch::Tensor cycle =
          torch::l1_loss(translate_at(source.stack, k, side.trans), source.reals[k]);
      total = total + adv + params_.translation_weight * trans_adv + params_.rec_weight * rec +
              params_.cycle_weight * cycle;
      l.adv += adv.item<double>();
      l.trans += trans_adv.item<double>();
      l.rec += rec.item<double>();
      l.cyc += cycle.item<double>();
    }
    total.backward();
    opt_g_->step();
    losses.adv = l.adv;
    losses.trans = l.trans;
    losses.rec = l.rec;
    losses.cyc = l.cyc;
  }
}

double Trainer::iteration_flops() const {
  // Forward FLOPs of the real conv layers times the passes made, counted as in singan: backward =
  // 2 forwards, gradient penalty = 6; per domain, critic passes run on the real image and a batch
  // of two fakes, generator passes on the sample chain, the reconstruction chain, the translation
  // and the cycle back through the other domain's generator.
  const int k = pos_.scale;
  const int first = first_trainable();
  double total = 0;
  for (const DomainStack* s : {&a_, &b_}) {
    auto g = [s](int j) {
      const ScaleSize size = s->stack.sizes[j];
      return nn::conv_forward_flops(*s->stack.generators[j], size.height, size.width);
    };
    double frozen = 0, trainable = 0;
    for (int j = 0; j < first; ++j) frozen += g(j);
    for (int j = first; j <= k; ++j) trainable += g(j);
    const double translation = g(k);
    const ScaleSize size = s->stack.sizes[k];
    const double critic =
        nn::conv_forward_flops(*(s == &a_ ? critic_a_ : critic_b_), size.height, size.width);
    total += frozen + params_.d_steps * (3 * critic + 6 * critic + 12 * critic) +
             params_.g_steps * (6 * trainable + 6 * translation + 4 * critic);
  }
  return total;
}

void Trainer::preview() {
  if (!callbacks_.on_preview) return;
  torch::NoGradGuard no_grad;
  const int first = first_trainable();
  std::vector<Image> images;
  for (const Domain d : kDomains) {
    DomainStack& self = domain(d);
    for (int j = first; j <= pos_.scale; ++j) self.stack.generators[j]->eval();
  }
  // a->b and b->a injected at the coarsest scale, with fixed noise.
  for (const Domain to : {Domain::B, Domain::A}) {
    const DomainStack& self = domain(to);
    auto generator = nn::seeded_generator(options_.seed + kPreviewSeedOffset);
    auto noise = nn::draw_noise(self.stack.sizes, 1, pos_.scale, device_, generator);
    images.push_back(
        tensor_to_image(self.stack.run(0, pos_.scale, domain(other(to)).reals[0], noise, sizes())));
  }
  for (const Domain d : kDomains) {
    DomainStack& self = domain(d);
    for (int j = first; j <= pos_.scale; ++j) self.stack.generators[j]->train();
  }
  callbacks_.preview(make_grid(images, 2));
}

void Trainer::save(bool finished) {
  RawModelArchive archive;
  archive.info.method = kMethod;
  archive.info.preset = preset_name_;
  archive.info.params = params_.to_json();
  archive.info.step = pos_.global_step;
  archive.info.seed = options_.seed;
  archive.info.finished = finished;
  archive.info.thumbnail =
      fit_within(make_grid({tensor_to_image(a_.reals.back()), tensor_to_image(b_.reals.back())}, 2),
                 kThumbnailSide);
  const Position position = position_to_store(pos_, scale_count(), finished,
                                              loop_ ? loop_->elapsed_s() : elapsed_before_s_);
  put_domains(archive, a_, b_, position);
  if (!finished) {
    put_module(archive, d_key(Domain::A), *critic_a_);
    put_module(archive, d_key(Domain::B), *critic_b_);
    put_adam(archive, "adam_g", *opt_g_);
    put_adam(archive, "adam_d", *opt_d_);
  }
  write_raw_model_archive(options_.out, archive);
}

}  // namespace atelier::analogy

namespace atelier {

TrainResult train_analogy(const Image& a, const Image& b, const Preset& preset,
                          const TrainOptions& options, const Callbacks& callbacks) {
  return guarded("training analogy", [&] {
    analogy::Trainer trainer(preset, options, callbacks);
    const TrainResult result = trainer.run(a, b);
    if (result.finished) store_default_injection(result.model_path, options.compute);
    return result;
  });
}

}  // namespace atelier
