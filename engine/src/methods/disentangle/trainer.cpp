#include "methods/disentangle/trainer.h"

#include <torch/nn/functional/loss.h>
#include <torch/nn/utils/clip_grad.h>

#include <algorithm>
#include <chrono>

#include "atelier/error.h"
#include "core/archive_tensors.h"
#include "core/device.h"
#include "core/guard.h"
#include "core/log.h"
#include "core/preview_schedule.h"
#include "core/tensor_image.h"
#include "core/training_failure.h"
#include "io/memory_budget.h"
#include "methods/disentangle/checkpoint.h"
#include "methods/disentangle/guide.h"
#include "methods/disentangle/params_io.h"
#include "nn/train_utils.h"

namespace atelier::disentangle {
namespace {

namespace F = torch::nn::functional;

constexpr double kReportInterval_s = 0.5;
constexpr int kPreviewPairs = 4;
constexpr int kDiscWidth = 64;
constexpr int kCriticWidth = 32;
constexpr int kCriticWarmUp = 300;
// The self-check's judge: progress every few steps; a judge step costs about a fifth of a
// training step in the ETA (48 ms against 240 ms at the preview preset).
constexpr int kJudgeReportEvery = 20;
constexpr double kJudgeStepCost = 0.2;
constexpr double kCriticStepCost = 0.1;  // a warm-up step of the domain critic, likewise

double now_s() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

torch::optim::AdamOptions adam(double lr, const DisentangleParams& p) {
  return torch::optim::AdamOptions(lr).betas({p.beta1, p.beta2});
}

// Codes have no fixed scale: errors are measured relative to the target's mean square over the
// batch, so the cycle weighs the same whatever size the codes drift to. The target is detached.
torch::Tensor relative_mse(const torch::Tensor& x, const torch::Tensor& target,
                           const BatchMean& over_batch) {
  const torch::Tensor t = target.detach();
  return F::mse_loss(x, t) / (over_batch(t.square().mean()) + 1e-6);
}

// encode() with the encoders' (and attribute decoders') weights held fixed.
Codes frozen_encode(TransferNetsImpl& nets, const torch::Tensor& x) {
  nn::FrozenWeights frozen({nets.ec.get(), nets.es_a.get(), nets.es_b.get(),
                            nets.dec_a ? nets.dec_a.get() : nullptr,
                            nets.dec_b ? nets.dec_b.get() : nullptr});
  return nets.encode(x);
}

// BCE of logits against probabilities of the same shape (bce: against a constant).
torch::Tensor bce_to(const torch::Tensor& logits, const torch::Tensor& target) {
  return F::binary_cross_entropy_with_logits(logits, target.expand_as(logits));
}

}  // namespace

std::vector<std::pair<std::string, double>> StepLosses::named() const {
  return {{"rec", rec}, {"zero", zero},     {"adv", adv},       {"cycle", cycle}, {"mask", mask},
          {"d", d},     {"domain", domain}, {"critic", critic}, {"guide", guide}, {"fit", fit}};
}

Trainer::Trainer(MethodSetup setup, const TrainOptions& options, const Callbacks& callbacks)
    : setup_(std::move(setup)),
      params_(setup_.params),
      options_(options),
      callbacks_(callbacks),
      parallel_(std::make_unique<DataParallel>(DistributedOptions{})) {}

void Trainer::join_ranks() {
  if (!options_.distributed.active()) return;
  if (params_.padain_p > 0 && params_.batch % options_.distributed.world_size != 0) {
    // Permuted AdaIN draws a permutation of each rank's part of the batch; parts of unequal
    // sizes would draw different amounts of randomness and the ranks' batches would part ways.
    throw usage_error(setup_.method + ": with Permuted AdaIN (padain_p " +
                      std::to_string(params_.padain_p) + ") the batch (" +
                      std::to_string(params_.batch) + ") must divide evenly over the " +
                      std::to_string(options_.distributed.world_size) +
                      " processes; change --world-size or --set batch=N");
  }
  parallel_ = std::make_unique<DataParallel>(options_.distributed);
  // Every rank starts from rank 0's networks (a resumed file is read by every rank alike).
  std::vector<torch::Tensor> tensors = nets_->parameters();
  for (const torch::Tensor& t : disc_->parameters()) tensors.push_back(t);
  for (const torch::Tensor& t : critic_->parameters()) tensors.push_back(t);
  parallel_->broadcast(tensors);
  make_gradient_sums();
}

torch::Tensor Trainer::batch_mean(const torch::Tensor& part_mean, double share) const {
  if (parallel_->world_size() == 1) return part_mean.detach();
  const torch::Tensor sum = (part_mean.detach() * share).reshape({1}).to(torch::kCPU).contiguous();
  parallel_->sum(sum);
  return sum.to(part_mean.device()).reshape({});
}

double Trainer::part_share(std::int64_t part) const {
  return parallel_->world_size() > 1 ? double(part) / params_.batch : 1.0;
}

torch::Tensor Trainer::draw(const DomainSplit& set) {
  return parallel_->draw_batch(set.train, set.owner, set.row, params_.batch, params_.flip, device_);
}

void Trainer::make_gradient_sums() {
  grads_g_ = std::make_unique<GradientSum>(*parallel_, optimiser_parameters(*opt_g_));
  grads_d_ = std::make_unique<GradientSum>(*parallel_, optimiser_parameters(*opt_d_));
  grads_c_ = std::make_unique<GradientSum>(*parallel_, optimiser_parameters(*opt_c_));
}

void Trainer::build(const torch::Device& device) {
  device_ = device;
  nets_ = TransferNets(params_);
  init_weights(*nets_);
  nets_->to(device_);
  disc_ = LatentDiscriminator(params_.common_channels, params_.common_grid, kDiscWidth,
                              params_.leaky_slope);
  disc_->to(device_);
  opt_g_ = std::make_unique<nn::FusedAdam>(nets_->parameters(), adam(params_.lr, params_));
  opt_d_ = std::make_unique<nn::FusedAdam>(disc_->parameters(), adam(params_.lr_d, params_));
  critic_ = DomainCritic(kCriticWidth, params_.leaky_slope);
  critic_->to(device_);
  opt_c_ = std::make_unique<nn::FusedAdam>(critic_->parameters(), adam(params_.lr_d, params_));
  make_gradient_sums();
}

void Trainer::require_training_memory() const {
  // A step encodes and decodes a batch of each domain: encoders and decoders of about six
  // layers each, whose first layer (at half the image size) costs as much as all the others.
  const double half = params_.image_size / 2.0;
  const double units = 2.0 * params_.batch * half * half;
  const int width = std::max(params_.channels, params_.decoder_channels);
  require_memory(conv_training_bytes(units, width, 2 * 6),
                 "training " + setup_.method + " on batches of " + std::to_string(params_.batch) +
                     " at " + std::to_string(params_.image_size) + " px",
                 "lower batch or the channels (--set batch=N ...)");
}

TrainResult Trainer::run(const TransferImages& images) {
  const double run_start = now_s();
  device_ = prepare_compute(options_.compute, options_.seed);
  if (options_.out.empty()) options_.out = options_.resume;
  if (options_.out.empty())
    throw usage_error("training " + setup_.method + ": no output model file");
  if (!options_.resume.empty()) {
    start_from_file(options_.resume);
  } else {
    build(device_);
  }
  require_training_memory();
  join_ranks();
  const bool root = parallel_->is_root();  // rank 0 alone writes files and reports
  const DistributedOptions& world = options_.distributed;
  if (world.active() && (images.a_total == 0 || images.b_total == 0)) {
    throw usage_error(setup_.method + ": rank " + std::to_string(world.rank) +
                      " was given no folder sizes; a rank's images are its shard of each folder "
                      "(load_transfer_images with the rank and world size)");
  }
  a_ = split_domain(images.a, params_.image_size, params_.test_fraction, options_.seed, "A",
                    {world.rank, world.world_size, images.a_total});
  b_ = split_domain(images.b, params_.image_size, params_.test_fraction, options_.seed + 1, "B",
                    {world.rank, world.world_size, images.b_total});
  // Every rank gets every held-out image, from the ranks that hold them.
  for (const torch::Tensor* test : {&a_.test, &b_.test}) {
    if (test->numel() > 0) parallel_->sum(*test);
  }
  if (parallel_->world_size() > 1) {
    log::info("{}: rank {} of {} holds {} + {} of the {} + {} training images", setup_.method,
              parallel_->rank(), parallel_->world_size(), a_.train.size(0), b_.train.size(0),
              a_.train_total(), b_.train_total());
  }
  log::info("{}: {} + {} training images, {} + {} held out, {}x{} px, {} steps", setup_.method,
            a_.train_total(), b_.train_total(), a_.test.size(0), b_.test.size(0),
            params_.image_size, params_.image_size, params_.steps);

  const int warm_up_steps = options_.resume.empty() && params_.domain_weight > 0
                                ? std::min<std::int64_t>(kCriticWarmUp, params_.steps / 4)
                                : 0;
  clock_ = std::make_unique<ProgressClock>(
      std::vector<ProgressClock::Stage>{
          {"critic warm-up", 0, warm_up_steps, kCriticStepCost},
          {"train", 0, params_.steps, 1.0},
          {"self-check", 0, params_.self_check_steps, kJudgeStepCost}},
      elapsed_before_s_);
  PreviewSchedule previews(options_.preview_every);
  // The pairs it trains on, and what the untrained model makes of them, at once: the warm-up
  // below can take half a minute on a busy CPU.
  if (root && warm_up_steps > 0 && options_.preview_every > 0 && callbacks_.on_preview)
    callbacks_.preview(preview_grid());
  warm_up_critic(warm_up_steps);
  double last_checkpoint = now_s();
  TrainResult result;
  result.model_path = options_.out;
  const std::int64_t first_step = step_;
  SaveRecord saves(options_.out, root);
  const auto where = [this] { return "step " + std::to_string(step_ + 1); };
  try {
    while (step_ < params_.steps) {
      if (parallel_->any(callbacks_.stop_requested())) {
        if (root) save(false);
        log::info("{}: stopped at step {}; {} {} resumable", setup_.method, step_, options_.out,
                  root ? "is" : "(rank 0's) is");
        result.step = step_;
        result.seconds = now_s() - run_start;
        result.final_losses = last_.named();
        return result;
      }
      adapt_threads();
      const torch::Tensor a = draw(a_);
      const torch::Tensor b = draw(b_);
      last_ = step(a, b);
      require_finite_losses(last_.named(), setup_.method, where(), saves);
      ++step_;
      if (!root) continue;
      report(step_ == first_step + 1 || step_ == params_.steps);
      if (previews.due(step_) && callbacks_.on_preview) callbacks_.preview(preview_grid());
      if (options_.checkpoint_every_s > 0 &&
          now_s() - last_checkpoint >= options_.checkpoint_every_s) {
        save(false);
        saves.saved(step_);
        last_checkpoint = now_s();
      }
    }
    const double trained = now_s() - run_start;
    if (step_ > first_step) {
      log::info("{}: {} steps in {:.1f} s, {:.0f} ms per step", setup_.method, step_ - first_step,
                trained, 1000 * trained / double(step_ - first_step));
    }
    if (root) {
      self_check_ = self_check();
      save(true);
    }
  } catch (...) {
    rethrow_training_failure(setup_.method, where(), saves);
  }
  result.finished = true;
  result.step = step_;
  result.seconds = now_s() - run_start;
  result.final_losses = last_.named();
  result.final_losses.emplace_back("test_rec", test_reconstruction());
  if (self_check_) result.warnings = self_check_->warnings();
  return result;
}

std::optional<TransferSelfCheck> Trainer::self_check() {
  // A stop request here ends the check, not the training: the model is finished either way.
  struct Stopped {};
  nets_->eval();
  try {
    auto check = check_transfers(Ops(nets_, setup_.composition), a_, b_, params_.self_check_steps,
                                 options_.seed, device_, [&](int step) {
                                   if (callbacks_.stop_requested()) throw Stopped{};
                                   if (step % kJudgeReportEvery == 0)
                                     callbacks_.progress(clock_->update(2, step, last_.named()));
                                 });
    nets_->train();
    return check;
  } catch (const Stopped&) {
    nets_->train();
    log::info("{}: self-check skipped (stop requested)", setup_.method);
    return std::nullopt;
  }
}

StepLosses Trainer::step(const torch::Tensor& xa, const torch::Tensor& xb) {
  const DisentangleParams& p = params_;
  nets_->train();
  disc_->train();
  critic_->train();
  const auto n = xa.size(0);
  const bool parted = parallel_->world_size() > 1;
  const double share = part_share(n);
  const BatchMean over_batch = [this, share](const torch::Tensor& mean) {
    return batch_mean(mean, share);
  };
  const bool layered = nets_->layered();
  torch::Tensor boxes_a, boxes_b;
  if (layered && p.erase_attributes && p.erase_box_p > 0) {
    // Drawn for the whole batch, so every rank's random stream stays the same.
    const std::int64_t drawn = parted ? p.batch : n;
    boxes_a = random_boxes(drawn, p.image_size, p.erase_box_p, device_);
    boxes_b = random_boxes(drawn, p.image_size, p.erase_box_p, device_);
    if (parted) {
      const torch::Tensor own = parallel_->own_positions(p.batch).to(device_);
      boxes_a = boxes_a.index_select(0, own);
      boxes_b = boxes_b.index_select(0, own);
    }
  }
  const Codes ca = nets_->encode(xa, boxes_a);
  const Codes cb = nets_->encode(xb, boxes_b);

  // Reconstruction with the other domain's code set to zero (the paper's convention).
  torch::Tensor rec_a, rec_b, base_a, base_b;
  Layer zero_a, zero_b;
  if (layered) {
    zero_a = nets_->layer(nets_->zeros_a(1), Attribute::A);
    zero_b = nets_->layer(nets_->zeros_b(1), Attribute::B);
    base_a = nets_->background(ca.common);
    base_b = nets_->background(cb.common);
    rec_a = TransferNetsImpl::compose(base_a, ca.layer_a, zero_b);
    rec_b = TransferNetsImpl::compose(base_b, zero_a, cb.layer_b);
  } else {
    rec_a = nets_->generate(ca.common, ca.a, nets_->zeros_b(n));
    rec_b = nets_->generate(cb.common, nets_->zeros_a(n), cb.b);
  }
  StepLosses losses;
  const torch::Tensor l_rec = (rec_a - xa).abs().mean() + (rec_b - xb).abs().mean();
  const torch::Tensor l_zero = ca.b.abs().mean() + cb.a.abs().mean();
  torch::Tensor total = p.rec_weight * l_rec + p.zero_weight * l_zero;
  losses.rec = l_rec.item<double>();
  losses.zero = l_zero.item<double>();

  if (layered && p.mask_weight > 0) {
    const torch::Tensor l_mask = ca.layer_a.alpha.mean() + cb.layer_b.alpha.mean();
    total = total + p.mask_weight * l_mask;
    losses.mask = l_mask.item<double>();
  }
  const double solid = solid_guide_share(double(step_) / p.steps, p.guide_solid_from);
  if (layered && p.layer_fit_weight > 0 && solid > 0) {
    const torch::Tensor l_fit = layer_fit_loss(ca.layer_a.alpha, ca.layer_a.rgb, xa) +
                                layer_fit_loss(cb.layer_b.alpha, cb.layer_b.rgb, xb);
    total = total + solid * p.layer_fit_weight * l_fit;
    losses.fit = l_fit.item<double>();
  }
  if (p.adv_weight > 0) {
    // The encoders want the discriminator undecided about where a common code came from.
    const torch::Tensor l_adv =
        bce(disc_->forward(ca.common), 0.5) + bce(disc_->forward(cb.common), 0.5);
    total = total + p.adv_weight * l_adv;
    losses.adv = l_adv.item<double>();
  }
  if (p.cycle_weight > 0 || p.domain_weight > 0) {
    // Transfers (A's attribute onto b, B's onto a) and removals, as the method composes them.
    torch::Tensor t_ab, t_ba, r_a, r_b;
    if (layered) {
      torch::Tensor guide_a = base_a, guide_b = base_b;
      // Masktransfer composes over the real image once the warm-up is over; before, as
      // disentangle does, so the image cannot pass around layers that have not learned colours.
      if (setup_.composition == Composition::PassThrough && solid > 0) {
        const torch::Tensor mask_a = Ops::attribute_mask(ca);
        const torch::Tensor mask_b = Ops::attribute_mask(cb);
        guide_a = mask_a * base_a + (1 - mask_a) * xa;
        guide_b = mask_b * base_b + (1 - mask_b) * xb;
      }
      t_ab = TransferNetsImpl::compose(guide_b, ca.layer_a, zero_b);
      t_ba = TransferNetsImpl::compose(guide_a, zero_a, cb.layer_b);
      r_a = guide_a;
      r_b = guide_b;
    } else {
      t_ab = nets_->generate(cb.common, ca.a, nets_->zeros_b(n));
      t_ba = nets_->generate(ca.common, nets_->zeros_a(n), cb.b);
      r_a = nets_->generate(ca.common, nets_->zeros_a(n), nets_->zeros_b(n));
      r_b = nets_->generate(cb.common, nets_->zeros_a(n), nets_->zeros_b(n));
    }
    if (p.cycle_weight > 0) {
      // The encoders judge the transfers here but do not learn from it: trained on this loss
      // they collapse to constant codes, which satisfy any cycle and stop the reconstruction.
      const Codes c_ab = frozen_encode(*nets_, t_ab);
      const Codes c_ba = frozen_encode(*nets_, t_ba);
      const torch::Tensor l_cycle = relative_mse(c_ab.a, ca.a, over_batch) +
                                    relative_mse(c_ab.common, cb.common, over_batch) +
                                    relative_mse(c_ba.b, cb.b, over_batch) +
                                    relative_mse(c_ba.common, ca.common, over_batch) +
                                    (c_ab.b.abs().mean() + c_ba.a.abs().mean()) /
                                        (over_batch(ca.a.abs().mean() + cb.b.abs().mean()) + 1e-3);
      total = total + p.cycle_weight * l_cycle;
      losses.cycle = l_cycle.item<double>();
    }
    if (p.domain_weight > 0) {
      // Per patch: a removal looks like neither domain (p = 1/2); a transfer keeps its source's
      // evidence for the source domain and shows none for the other.
      torch::Tensor p_a, p_b, attribute_a, attribute_b;
      {
        torch::NoGradGuard no_grad;
        const torch::Tensor va = torch::sigmoid(critic_->forward(xa));
        const torch::Tensor vb = torch::sigmoid(critic_->forward(xb));
        p_a = DomainCriticImpl::channel(va, DomainCriticImpl::kDomainVerdict);
        p_b = DomainCriticImpl::channel(vb, DomainCriticImpl::kDomainVerdict);
        attribute_a = DomainCriticImpl::channel(va, DomainCriticImpl::kAttributeA);
        attribute_b = DomainCriticImpl::channel(vb, DomainCriticImpl::kAttributeB);
      }
      if (layered && p.guide_weight > 0) {
        auto guide_at = [&](int area) {
          const GuideShape shape{p.guide_start_at, p.guide_full_at, area, p.guide_reach};
          return guide_loss(ca.layer_a.alpha, attribute_a, shape, over_batch) +
                 guide_loss(cb.layer_b.alpha, attribute_b, shape, over_batch);
        };
        // Single-pixel cover before the solid guide starts, solid cover after, a blend between.
        torch::Tensor l_guide = guide_at(solid > 0 ? p.guide_area : 1);
        if (p.guide_area > 1 && solid > 0 && solid < 1) {
          l_guide = (1 - solid) * guide_at(1) + solid * l_guide;
        }
        total = total + p.guide_weight * l_guide;
        losses.guide = l_guide.item<double>();
      }
      nn::FrozenWeights frozen({critic_.get()});
      const auto verdict = [this](const torch::Tensor& x) {
        return DomainCriticImpl::channel(critic_->forward(x), DomainCriticImpl::kDomainVerdict);
      };
      const torch::Tensor l_domain = bce(verdict(r_a), 0.5) + bce(verdict(r_b), 0.5) +
                                     bce_to(verdict(t_ab), p_a.clamp_min(0.5)) +
                                     bce_to(verdict(t_ba), p_b.clamp_max(0.5));
      total = total + p.domain_weight * l_domain;
      losses.domain = l_domain.item<double>();
    }
  }
  opt_g_->zero_grad();
  grads_g_->begin();
  (share * total).backward();
  grads_g_->finish();
  if (p.grad_clip > 0) torch::nn::utils::clip_grad_norm_(nets_->parameters(), p.grad_clip);
  opt_g_->step();

  if (p.adv_weight > 0) {
    opt_d_->zero_grad();
    grads_d_->begin();
    const torch::Tensor l_d =
        bce(disc_->forward(ca.common.detach()), 1.0) + bce(disc_->forward(cb.common.detach()), 0.0);
    (share * l_d).backward();
    grads_d_->finish();
    if (p.grad_clip > 0) torch::nn::utils::clip_grad_norm_(disc_->parameters(), p.grad_clip);
    opt_d_->step();
    losses.d = l_d.item<double>();
  }
  if (p.domain_weight > 0) {
    losses.critic = critic_step(xa, xb);
  }
  return losses;
}

double Trainer::critic_step(const torch::Tensor& xa, const torch::Tensor& xb) {
  opt_c_->zero_grad();
  grads_c_->begin();
  const torch::Tensor l_c = domain_critic_loss(critic_->forward(xa), critic_->forward(xb));
  (part_share(xa.size(0)) * l_c).backward();
  grads_c_->finish();
  if (params_.grad_clip > 0)
    torch::nn::utils::clip_grad_norm_(critic_->parameters(), params_.grad_clip);
  opt_c_->step();
  return l_c.item<double>();
}

void Trainer::warm_up_critic(int steps) {
  // The attributes are a small part of each image, so the critic needs a few hundred steps before
  // its verdicts mean anything; they cost a tenth of a training step each, so they come first.
  // A stop request ends it early (the training loop then saves a resumable file at step 0).
  if (steps <= 0) return;
  critic_->train();
  double loss = 0;
  int done = 0;
  while (done < steps && !parallel_->any(callbacks_.stop_requested())) {
    adapt_threads();
    const torch::Tensor a = draw(a_);
    const torch::Tensor b = draw(b_);
    loss = critic_step(a, b);
    ++done;
    const double now = now_s();
    if (parallel_->is_root() && (now - last_report_s_ >= kReportInterval_s || done == steps)) {
      last_report_s_ = now;
      callbacks_.progress(clock_->update(0, done, {{"critic", loss}}));
    }
  }
  log::info("{}: domain critic warmed up for {} steps (loss {:.3f})", setup_.method, done, loss);
}

void Trainer::start_from_file(const std::string& path) {
  const RawModelArchive archive = read_raw_model_archive(path, setup_.method);
  if (archive.info.finished) {
    throw usage_error(path + ": this " + setup_.method +
                      " model is finished; there is nothing to resume");
  }
  const DisentangleParams stored =
      setup_.read_stored(archive.info.params, path + " (stored params)");
  if (archive.info.params != setup_.params_json) {
    log::info("{}: resuming {} with the parameters stored in it, not the preset's", setup_.method,
              path);
  }
  params_ = stored;
  setup_.params_json = archive.info.params;
  setup_.preset_name = archive.info.preset;
  require_stored_networks(archive, "nets", params_);
  build(device_);
  get_module(archive, "nets", *nets_);
  get_module(archive, "disc", *disc_);
  try {
    get_module(archive, "critic", *critic_);
  } catch (const Error&) {
    throw bad_input(path +
                    ": its domain critic is from an earlier version of Atelier (one verdict "
                    "per patch; this version also locates each attribute), so it cannot be "
                    "resumed; start the training again without --resume");
  }
  get_adam(archive, "adam_g", *opt_g_);
  get_adam(archive, "adam_d", *opt_d_);
  get_adam(archive, "adam_c", *opt_c_);
  const Position position = stored_position(archive);
  if (position.step > params_.steps) {
    throw bad_input(path + ": the stored step is beyond the stored step count");
  }
  step_ = position.step;
  elapsed_before_s_ = position.elapsed_s;
  // A fresh random stream for the rest of the run, not a replay of the first steps'.
  seed_everything(options_.seed + 0x9E3779B97F4A7C15ULL * static_cast<std::uint64_t>(step_));
}

void Trainer::report(bool force) {
  const double now = now_s();
  if (!force && now - last_report_s_ < kReportInterval_s) return;
  last_report_s_ = now;
  callbacks_.progress(clock_->update(1, step_, last_.named()));
}

Image Trainer::preview_grid() {
  torch::NoGradGuard no_grad;
  nets_->eval();
  const torch::Tensor& set_a = a_.test.size(0) > 0 ? a_.test : a_.train;
  const torch::Tensor& set_b = b_.test.size(0) > 0 ? b_.test : b_.train;
  const std::int64_t n = std::min<std::int64_t>({kPreviewPairs, set_a.size(0), set_b.size(0)});
  const torch::Tensor a = bytes_to_float(set_a.narrow(0, 0, n), device_);
  const torch::Tensor b = bytes_to_float(set_b.narrow(0, 0, n), device_);
  const Ops ops(nets_, setup_.composition);
  const Codes ca = ops.encode(a), cb = ops.encode(b);
  std::vector<torch::Tensor> columns = {a,
                                        b,
                                        ops.reconstruct(a, ca),
                                        ops.reconstruct(b, cb),
                                        ops.transfer(ca, b, cb, Attribute::A),
                                        ops.transfer(cb, a, ca, Attribute::B),
                                        ops.remove(a, ca),
                                        ops.remove(b, cb)};
  if (nets_->layered()) {
    // Where each image's own attribute layer is, white on black.
    columns.push_back(ca.layer_a.alpha.expand({-1, 3, -1, -1}) * 2 - 1);
    columns.push_back(cb.layer_b.alpha.expand({-1, 3, -1, -1}) * 2 - 1);
  }
  std::vector<Image> cells;
  for (std::int64_t i = 0; i < n; ++i) {
    for (const torch::Tensor& column : columns) cells.push_back(tensor_to_image(column[i]));
  }
  nets_->train();
  return make_grid(cells, static_cast<int>(columns.size()));
}

double Trainer::test_reconstruction() {
  torch::NoGradGuard no_grad;
  nets_->eval();
  double sum = 0;
  std::int64_t count = 0;
  const Ops ops(nets_, Composition::Render);
  for (const torch::Tensor* set : {&a_.test, &b_.test}) {
    constexpr std::int64_t kChunk = 64;
    for (std::int64_t i = 0; i < set->size(0); i += kChunk) {
      const torch::Tensor x =
          bytes_to_float(set->narrow(0, i, std::min(kChunk, set->size(0) - i)), device_);
      sum += (ops.reconstruct(x, ops.encode(x)) - x).abs().mean().item<double>() * x.size(0);
      count += x.size(0);
    }
  }
  nets_->train();
  return count > 0 ? sum / count : 0;
}

void Trainer::save(bool finished) {
  RawModelArchive archive;
  archive.info.method = setup_.method;
  archive.info.preset = setup_.preset_name;
  archive.info.params = setup_.params_json;
  archive.info.step = step_;
  archive.info.seed = options_.seed;
  archive.info.finished = finished;
  archive.info.state =
      position_json({step_, clock_ ? clock_->elapsed_s() : elapsed_before_s_}, params_.image_size);
  if (finished && self_check_) archive.info.state["self_check"] = self_check_->to_json();
  try {
    archive.info.thumbnail = fit_within(preview_grid(), 256);
  } catch (const std::exception& e) {
    log::warn("{}: no thumbnail ({})", setup_.method, e.what());
  }
  put_module(archive, "nets", *nets_);
  if (!finished) {
    put_module(archive, "disc", *disc_);
    put_module(archive, "critic", *critic_);
    put_adam(archive, "adam_g", *opt_g_);
    put_adam(archive, "adam_d", *opt_d_);
    put_adam(archive, "adam_c", *opt_c_);
  }
  write_raw_model_archive(options_.out, archive);
}

}  // namespace atelier::disentangle

namespace atelier {

TrainResult train_disentangle(const TransferImages& images, const Preset& preset,
                              const TrainOptions& options, const Callbacks& callbacks) {
  return guarded("training disentangle", [&] {
    disentangle::MethodSetup setup;
    setup.method = disentangle::kMethod;
    setup.composition = disentangle::Composition::Render;
    setup.params = DisentangleParams::from_preset(preset);
    setup.params_json = setup.params.to_json();
    setup.preset_name = preset.size;
    setup.read_stored = [](const nlohmann::json& json, const std::string& source) {
      return DisentangleParams::from_json(json, source);
    };
    disentangle::Trainer trainer(std::move(setup), options, callbacks);
    return trainer.run(images);
  });
}

}  // namespace atelier
