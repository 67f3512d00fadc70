// The training loop of disentangle, also run by masktransfer (which composes its transfers over
// the real image instead of the rendered background).
#pragma once

#include <torch/optim/adam.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "atelier/disentangle.h"
#include "core/data_parallel.h"
#include "core/gradient_sum.h"
#include "core/model_archive.h"
#include "core/progress_clock.h"
#include "methods/disentangle/data.h"
#include "methods/disentangle/guide.h"
#include "methods/disentangle/networks.h"
#include "methods/disentangle/ops.h"
#include "methods/disentangle/self_check.h"
#include "nn/fused_adam.h"

namespace atelier::disentangle {

// What differs between the methods that share this loop.
struct MethodSetup {
  std::string method;  // id written into the model file
  Composition composition = Composition::Render;
  DisentangleParams params;    // from the preset
  nlohmann::json params_json;  // the method's own params, as stored in the file
  std::string preset_name;
  // Reads the params stored in a file being resumed (strictly, as the method's own struct).
  std::function<DisentangleParams(const nlohmann::json&, const std::string&)> read_stored;
};

struct StepLosses {
  double rec = 0, zero = 0, adv = 0, cycle = 0, mask = 0, d = 0, domain = 0, critic = 0, guide = 0,
         fit = 0;
  std::vector<std::pair<std::string, double>> named() const;
};

class Trainer {
 public:
  Trainer(MethodSetup setup, const TrainOptions& options, const Callbacks& callbacks);
  TrainResult run(const TransferImages& images);

  // One optimisation step on the given batches (exposed for the benchmark).
  StepLosses step(const torch::Tensor& a, const torch::Tensor& b);
  void build(const torch::Device& device);  // networks and optimisers, fresh

 private:
  void start_from_file(const std::string& path);
  // A data-parallel training (options.distributed): meets the other ranks and takes rank 0's
  // networks. One process: nothing.
  void join_ranks();
  // The whole batch's mean of a statistic of which this rank has the mean of its part (detached),
  // that part being `share` of the batch.
  torch::Tensor batch_mean(const torch::Tensor& part_mean, double share) const;
  // This rank's part of a step's global batch, `part` images of it: its losses count by that
  // share in the gradients summed over the ranks (1 in one process).
  double part_share(std::int64_t part) const;
  // A step's batch of `set` (DataParallel::draw_batch: this rank's part of one process's draw).
  torch::Tensor draw(const DomainSplit& set);
  // The optimisers' gradient sums over the ranks (again when join_ranks replaces parallel_).
  void make_gradient_sums();
  std::optional<TransferSelfCheck> self_check();  // of the finished model; none when stopped
  // Error(Usage) when a training step needs more memory than the machine has.
  void require_training_memory() const;
  // One step of the domain critic on real images (domain_critic_loss).
  double critic_step(const torch::Tensor& a, const torch::Tensor& b);
  void warm_up_critic(int steps);
  void report(bool force);
  Image preview_grid();
  double test_reconstruction();
  void save(bool finished);

  MethodSetup setup_;
  DisentangleParams& params_;
  TrainOptions options_;
  const Callbacks& callbacks_;
  torch::Device device_{torch::kCPU};

  DomainSplit a_, b_;
  TransferNets nets_{nullptr};
  LatentDiscriminator disc_{nullptr};
  DomainCritic critic_{nullptr};
  std::unique_ptr<nn::FusedAdam> opt_g_, opt_d_, opt_c_;
  std::unique_ptr<GradientSum> grads_g_, grads_d_, grads_c_;  // of opt_g_, opt_d_ and opt_c_
  std::optional<TransferSelfCheck> self_check_;               // stored in the finished file
  std::int64_t step_ = 0;
  double elapsed_before_s_ = 0;
  std::unique_ptr<ProgressClock> clock_;
  double last_report_s_ = -1;
  StepLosses last_;
  std::unique_ptr<DataParallel> parallel_;
};

}  // namespace atelier::disentangle
