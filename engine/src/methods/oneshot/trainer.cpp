#include "methods/oneshot/trainer.h"

#include <torch/torch.h>

#include <algorithm>

#include "atelier/error.h"
#include "core/archive_tensors.h"
#include "core/bench_util.h"
#include "core/device.h"
#include "core/guard.h"
#include "core/image_batch.h"
#include "core/log.h"
#include "core/preview_schedule.h"
#include "core/tensor_image.h"
#include "core/training_failure.h"
#include "io/memory_budget.h"
#include "methods/oneshot/data.h"

namespace atelier::oneshot {
namespace {

constexpr double kReportInterval_s = 0.5;
constexpr int kPreviewImages = 4;
constexpr std::int64_t kHeldChunk = 64;

torch::optim::AdamOptions adam(double lr, const OneshotParams& p) {
  return torch::optim::AdamOptions(lr).betas({p.beta1, p.beta2});
}

std::vector<torch::Tensor> parameters_of(const std::vector<torch::Tensor>& a,
                                         const std::vector<torch::Tensor>& b) {
  std::vector<torch::Tensor> all = a;
  all.insert(all.end(), b.begin(), b.end());
  return all;
}

// Phase II takes its networks from the phase I file and its training keys from the preset.
OneshotParams with_base_networks(OneshotParams p, const OneshotParams& base) {
  p.network = base.network;
  p.image_size = base.image_size;
  p.channels = base.channels;
  p.max_channels = base.max_channels;
  p.downsamplings = base.downsamplings;
  p.latent_channels = base.latent_channels;
  p.res_blocks = base.res_blocks;
  p.own_layers = base.own_layers;
  p.leaky_slope = base.leaky_slope;
  p.upsampling = base.upsampling;
  return p;
}

}  // namespace

std::vector<std::pair<std::string, double>> StepLosses::named(int phase) const {
  if (phase == 1) return {{"rec_b", rec_b}, {"latent", latent}, {"gan", gan_base}, {"d", d}};
  return {{"rec_b", rec_b},   {"latent", latent}, {"rec_a", rec_a}, {"gan_ab", gan_ab},
          {"gan_ba", gan_ba}, {"cycle", cycle},   {"d", d}};
}

Trainer::Trainer(OneshotParams params, std::string preset_name, const TrainOptions& options,
                 const Callbacks& callbacks)
    : params_(std::move(params)),
      params_json_(params_.to_json()),
      preset_name_(std::move(preset_name)),
      options_(options),
      callbacks_(callbacks),
      parallel_(std::make_unique<DataParallel>(DistributedOptions{})) {}

void Trainer::join_ranks() {
  if (!options_.distributed.active()) return;
  if (phase_ != 1) {
    throw usage_error(
        "oneshot: phase II trains on one A image in one process; only phase I (the autoencoder "
        "of the B folder) runs over several processes (drop --world-size)");
  }
  parallel_ = std::make_unique<DataParallel>(options_.distributed);
  // Every rank starts from rank 0's networks (a resumed file is read by every rank alike).
  std::vector<torch::Tensor> tensors = nets_->parameters();
  for (const torch::Tensor& t : d_b_->parameters()) tensors.push_back(t);
  parallel_->broadcast(tensors);
  make_gradient_sums();
}

int Trainer::phase_steps() const {
  return phase_ == 1 ? params_.base_steps : params_.translation_steps;
}

void Trainer::make_gradient_sums() {
  grads_b_ = std::make_unique<GradientSum>(*parallel_, optimiser_parameters(*opt_b_));
  grads_d_ = std::make_unique<GradientSum>(*parallel_, optimiser_parameters(*opt_d_));
}

void Trainer::build_optimisers() {
  opt_b_ = std::make_unique<nn::FusedAdam>(
      parameters_of(nets_->shared_parameters(), nets_->own_parameters(Domain::B)),
      adam(params_.lr, params_));
  std::vector<torch::Tensor> d_params = d_b_->parameters();
  if (phase_ == 2) {
    opt_a_ = std::make_unique<nn::FusedAdam>(nets_->own_parameters(Domain::A),
                                             adam(params_.lr_a, params_));
    d_params = parameters_of(d_params, d_a_->parameters());
  }
  opt_d_ = std::make_unique<nn::FusedAdam>(d_params, adam(params_.lr_d, params_));
  make_gradient_sums();
}

void Trainer::start_base(const torch::Device& device) {
  device_ = device;
  phase_ = 1;
  state_.phase = 1;
  nets_ = OneshotNets(params_, false);
  nets_->to(device_);
  d_b_ = Discriminator(params_.disc_channels, params_.image_size, params_.leaky_slope);
  d_b_->to(device_);
  build_optimisers();
}

void Trainer::start_translation(const RawModelArchive& base, const Image& a_image,
                                const torch::Device& device) {
  const TrainingState base_state = stored_state(base);
  if (base_state.phase != 1) {
    throw bad_input(base.info.path +
                    ": a phase II (translation) model; phase II starts from a phase I model");
  }
  if (!base.info.finished) {
    throw bad_input(base.info.path +
                    ": this phase I model is unfinished; resume it first (--resume)");
  }
  device_ = device;
  phase_ = 2;
  params_ = with_base_networks(params_, stored_params(base));
  params_json_ = params_.to_json();
  state_.phase = 2;
  state_.base = base.info.path;
  if (state_.b_folder.empty()) state_.b_folder = base_state.b_folder;
  nets_ = OneshotNets(params_, true);
  require_stored_networks(base, params_);
  // B's layers and the shared ones as phase I left them; A's outer layers start as B's.
  get_module(base, "nets.enc_b", *nets_->enc_b);
  get_module(base, "nets.enc_shared", *nets_->enc_shared);
  get_module(base, "nets.dec_shared", *nets_->dec_shared);
  get_module(base, "nets.dec_b", *nets_->dec_b);
  nets_->copy_b_outer_to_a();
  nets_->to(device_);
  a_image_ = image_to_tensor(fit_image(a_image, params_.image_size), device_);
  d_b_ = Discriminator(params_.disc_channels, params_.image_size, params_.leaky_slope);
  d_a_ = Discriminator(params_.disc_channels, params_.image_size, params_.leaky_slope);
  d_b_->to(device_);
  d_a_->to(device_);
  build_optimisers();
}

void Trainer::start_from_file(const std::string& path) {
  const RawModelArchive archive = read_raw_model_archive(path, kMethod);
  if (archive.info.finished) {
    throw usage_error(path + ": this oneshot model is finished; there is nothing to resume");
  }
  const TrainingState stored = stored_state(archive);
  const OneshotParams params = stored_params(archive);
  if (archive.info.params != params_json_) {
    log::info("oneshot: resuming {} with the parameters stored in it, not the preset's", path);
  }
  params_ = params;
  params_json_ = archive.info.params;
  preset_name_ = archive.info.preset;
  phase_ = stored.phase;
  const std::string b_folder = state_.b_folder;
  state_ = stored;
  if (!b_folder.empty()) state_.b_folder = b_folder;
  require_stored_networks(archive, params_);
  nets_ = OneshotNets(params_, phase_ == 2);
  d_b_ = Discriminator(params_.disc_channels, params_.image_size, params_.leaky_slope);
  if (phase_ == 2) {
    d_a_ = Discriminator(params_.disc_channels, params_.image_size, params_.leaky_slope);
    a_image_ = get_a_image(archive, params_.image_size, device_);
  }
  get_module(archive, "nets", *nets_);
  get_module(archive, "d_b", *d_b_);
  if (phase_ == 2) get_module(archive, "d_a", *d_a_);
  nets_->to(device_);
  d_b_->to(device_);
  if (phase_ == 2) d_a_->to(device_);
  build_optimisers();
  get_adam(archive, "adam_b", *opt_b_);
  get_adam(archive, "adam_d", *opt_d_);
  if (phase_ == 2) get_adam(archive, "adam_a", *opt_a_);
  if (stored.step > phase_steps()) {
    throw bad_input(path + ": the stored step is beyond the stored step count");
  }
  step_ = stored.step;
  elapsed_before_s_ = stored.elapsed_s;
  // A fresh random stream for the rest of the run, not a replay of the first steps'.
  seed_everything(options_.seed + 0x9E3779B97F4A7C15ULL * static_cast<std::uint64_t>(step_));
}

void Trainer::set_b_images(const std::vector<Image>& b, std::int64_t total) {
  if (b.size() < 2) {
    throw bad_input("oneshot: domain B has " + std::to_string(b.size()) +
                    " image(s); training needs at least 2");
  }
  std::vector<Image> fitted;
  fitted.reserve(b.size());
  for (const Image& image : b) fitted.push_back(fit_image(image, params_.image_size));
  b_set_ = pack_image_bytes(fitted);
  b_total_ = total > 0 ? total : b_set_.size(0);
  // B's image i is on rank i mod N, at row i / N of its shard (load_oneshot_b_shard).
  const int world = options_.distributed.world_size;
  const torch::Tensor index = torch::arange(b_total_, torch::kLong);
  b_owner_ = index.remainder(world);
  b_row_ = index.div(world, "floor");
}

void Trainer::require_training_memory() const {
  // A phase II step runs the encoder and decoder about four times on each batch (B's
  // reconstruction; A's reconstruction, translation and cycle; B->A) plus the discriminators.
  const double s = params_.image_size;
  const double first = params_.network == "photo" ? s * s : s * s / 4;
  const double images = phase_ == 1 ? params_.batch : params_.batch * 2.0 + params_.a_batch * 4.0;
  const int layers = 2 * (params_.downsamplings + 2 * params_.res_blocks + 2);
  require_memory(conv_training_bytes(images * first, params_.channels, layers),
                 "training oneshot (phase " + std::to_string(phase_) + ") on batches of " +
                     std::to_string(params_.batch) + " at " + std::to_string(params_.image_size) +
                     " px",
                 "lower batch, a_batch or channels (--set batch=N ...)");
}

TrainResult Trainer::run(const OneshotInputs& inputs) {
  const double run_start = monotonic_s();
  device_ = prepare_compute(options_.compute, options_.seed);
  if (options_.out.empty()) options_.out = options_.resume;
  if (options_.out.empty()) throw usage_error("training oneshot: no output model file");
  state_.b_folder = inputs.b_folder;
  if (!options_.resume.empty()) {
    start_from_file(options_.resume);
  } else if (!inputs.base.empty()) {
    start_translation(read_raw_model_archive(inputs.base, kMethod), inputs.a, device_);
  } else {
    start_base(device_);
  }
  set_b_images(inputs.b, inputs.b_total);
  require_training_memory();
  join_ranks();
  log::info("oneshot: phase {}, {} B images at {}x{} px, {} steps", phase_, b_set_.size(0),
            params_.image_size, params_.image_size, phase_steps());
  if (parallel_->world_size() > 1) {
    log::info("oneshot: rank {} of {} trains on {} of the folder's {} images", parallel_->rank(),
              parallel_->world_size(), b_set_.size(0), b_total_);
  }
  const bool root = parallel_->is_root();  // rank 0 alone writes files and reports

  clock_ = std::make_unique<ProgressClock>(
      std::vector<ProgressClock::Stage>{
          {phase_ == 1 ? "autoencoder B" : "translation", 0, phase_steps(), 1.0}},
      elapsed_before_s_);
  double last_checkpoint = monotonic_s();
  TrainResult result;
  result.model_path = options_.out;
  const std::int64_t first_step = step_;
  SaveRecord saves(options_.out, root);
  const auto where = [this] {
    return "phase " + std::to_string(phase_) + ", step " + std::to_string(step_ + 1);
  };
  PreviewSchedule previews(options_.preview_every);
  try {
    while (step_ < phase_steps()) {
      if (parallel_->any(callbacks_.stop_requested())) {
        if (root) save(false);
        log::info("oneshot: stopped at step {}; {} {} resumable", step_, options_.out,
                  root ? "is" : "(rank 0's) is");
        result.step = step_;
        result.seconds = monotonic_s() - run_start;
        result.final_losses = last_.named(phase_);
        return result;
      }
      adapt_threads();
      last_ = draw_and_step();
      require_finite_losses(last_.named(phase_), "oneshot", where(), saves);
      ++step_;
      if (!root) continue;
      report(step_ == first_step + 1 || step_ == phase_steps());
      if (previews.due(step_) && callbacks_.on_preview) callbacks_.preview(preview_grid());
      if (options_.checkpoint_every_s > 0 &&
          monotonic_s() - last_checkpoint >= options_.checkpoint_every_s) {
        save(false);
        saves.saved(step_);
        last_checkpoint = monotonic_s();
      }
    }
    if (root) save(true);
  } catch (...) {
    rethrow_training_failure("oneshot", where(), saves);
  }
  result.finished = true;
  result.step = step_;
  result.seconds = monotonic_s() - run_start;
  result.final_losses = last_.named(phase_);
  result.final_losses.emplace_back("held_rec_b", held_reconstruction(Domain::B));
  return result;
}

void Trainer::report(bool force) {
  const double now = monotonic_s();
  if (!force && now - last_report_s_ < kReportInterval_s) return;
  last_report_s_ = now;
  callbacks_.progress(clock_->update(0, step_, last_.named(phase_)));
}

Image Trainer::preview_grid() {
  torch::NoGradGuard no_grad;
  nets_->eval();
  const std::int64_t n = std::min<std::int64_t>(kPreviewImages, b_set_.size(0));
  const torch::Tensor xb = bytes_to_float(b_set_.narrow(0, 0, n), device_);
  std::vector<torch::Tensor> columns = {xb, nets_->decode(nets_->encode(xb, Domain::B), Domain::B)};
  if (phase_ == 2) {
    // The A image, its reconstruction, A->B and A->B->A; then B->A of the B images.
    const torch::Tensor xa = a_image_.expand({n, -1, -1, -1});
    const torch::Tensor ab = nets_->translate(xa, Domain::A);
    columns.insert(columns.begin(), {xa, nets_->decode(nets_->encode(xa, Domain::A), Domain::A), ab,
                                     nets_->translate(ab, Domain::B)});
    columns.push_back(nets_->translate(xb, Domain::B));
  }
  std::vector<Image> cells;
  for (std::int64_t i = 0; i < n; ++i) {
    for (const torch::Tensor& column : columns) cells.push_back(tensor_to_image(column[i]));
  }
  nets_->train();
  return make_grid(cells, static_cast<int>(columns.size()));
}

double Trainer::held_reconstruction(Domain domain) {
  // The mean L1 ([-1, 1] scale) of the first images of B (or of the A image).
  torch::NoGradGuard no_grad;
  nets_->eval();
  const torch::Tensor x =
      domain == Domain::A
          ? a_image_
          : bytes_to_float(b_set_.narrow(0, 0, std::min(kHeldChunk, b_set_.size(0))), device_);
  const double l1 =
      (nets_->decode(nets_->encode(x, domain), domain) - x).abs().mean().item<double>();
  nets_->train();
  return l1;
}

void Trainer::save(bool finished) {
  RawModelArchive archive;
  archive.info.method = kMethod;
  archive.info.preset = preset_name_;
  archive.info.params = params_json_;
  archive.info.step = step_;
  archive.info.seed = options_.seed;
  archive.info.finished = finished;
  state_.step = step_;
  state_.elapsed_s = clock_ ? clock_->elapsed_s() : elapsed_before_s_;
  archive.info.state = state_json(state_);
  try {
    archive.info.thumbnail = fit_within(preview_grid(), 256);
  } catch (const std::exception& e) {
    log::warn("oneshot: no thumbnail ({})", e.what());
  }
  put_module(archive, "nets", *nets_);
  if (phase_ == 2) put_a_image(archive, a_image_);
  if (!finished) {
    put_module(archive, "d_b", *d_b_);
    put_adam(archive, "adam_b", *opt_b_);
    put_adam(archive, "adam_d", *opt_d_);
    if (phase_ == 2) {
      put_module(archive, "d_a", *d_a_);
      put_adam(archive, "adam_a", *opt_a_);
    }
  }
  write_raw_model_archive(options_.out, archive);
}

}  // namespace atelier::oneshot

namespace atelier {

TrainResult train_oneshot(const OneshotInputs& inputs, const Preset& preset,
                          const TrainOptions& options, const Callbacks& callbacks) {
  return guarded("training oneshot", [&] {
    oneshot::Trainer trainer(OneshotParams::from_preset(preset), preset.size, options, callbacks);
    return trainer.run(inputs);
  });
}

OneshotFileState oneshot_file_state(const std::string& path) {
  return guarded("reading oneshot model " + path, [&] {
    const ModelInfo info = read_model_archive_info(path);
    if (info.method != oneshot::kMethod) {
      throw bad_input(path + ": a '" + info.method + "' model, not oneshot");
    }
    const oneshot::TrainingState state = oneshot::stored_state(info);
    const OneshotParams params = OneshotParams::from_json(info.params, path + " (stored params)");
    return OneshotFileState{state.phase, info.finished, state.b_folder, params.image_size};
  });
}

}  // namespace atelier
