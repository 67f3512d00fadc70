// bench_transfer: training step time at the preset's size, and the latency of one encode and one
// generate (the slider operation) at 64 and 128 px.
#include <torch/torch.h>

#include <algorithm>

#include "atelier/error.h"
#include "core/bench_util.h"
#include "core/device.h"
#include "core/guard.h"
#include "methods/disentangle/stored_params.h"
#include "methods/disentangle/trainer.h"

namespace atelier {
namespace {

using disentangle::Codes;

// The preset's architecture at another image size: code grids scale with the image, so the
// networks keep their depth and the codes their density.
DisentangleParams at_size(DisentangleParams p, int size) {
  p.common_grid = std::max(1, p.common_grid * size / p.image_size);
  p.separate_grid = std::max(1, p.separate_grid * size / p.image_size);
  p.image_size = size;
  return p;
}

TransferBenchResult::Latency latency(const DisentangleParams& params, disentangle::Composition how,
                                     const torch::Device& device, int repeats) {
  torch::NoGradGuard no_grad;
  disentangle::TransferNets nets(params);
  nets->to(device);
  nets->eval();
  const disentangle::Ops ops(nets, how);
  const torch::Tensor x = torch::rand({1, 3, params.image_size, params.image_size},
                                      torch::TensorOptions().device(device)) * 2 - 1;
  Codes codes = ops.encode(x);
  const torch::Tensor guide = how == disentangle::Composition::PassThrough ? x : torch::Tensor();
  ops.generate(codes.common, codes.a, codes.b, guide);  // warm-up
  TransferBenchResult::Latency l;
  l.size = params.image_size;
  // Results are brought to the CPU, as a front end needs them: on a GPU that also waits for the
  // asynchronous kernels, which would otherwise go unmeasured.
  l.encode_ms = median_ms(repeats, [&] {
    codes = ops.encode(x);
    codes.common.cpu();
  });
  l.generate_ms = median_ms(repeats, [&] { ops.generate(codes.common, codes.a, codes.b, guide).cpu(); });
  return l;
}

}  // namespace

TransferBenchResult bench_transfer(const TransferBenchOptions& options) {
  return guarded("benchmarking " + options.method, [&] {
    if (options.train_steps < 1 || options.repeats < 1) {
      throw usage_error("benchmark: train_steps and repeats must be at least 1");
    }
    const Preset preset = load_preset(options.method, options.preset);
    const disentangle::Composition how = disentangle::composition_of(options.method, preset.path);
    const DisentangleParams params =
        disentangle::read_stored_params(preset.params, preset.path, options.method);
    TransferBenchResult r;
    const torch::Device device = prepare_compute(options.compute, 1);
    r.device = device.str();
    r.threads = at::get_num_threads();
    r.image_size = params.image_size;
    r.batch = params.batch;

    disentangle::MethodSetup setup;
    setup.method = options.method;
    setup.composition = how;
    setup.params = params;
    const Callbacks none;
    disentangle::Trainer trainer(setup, TrainOptions{}, none);
    trainer.build(device);
    const auto shape = std::vector<std::int64_t>{params.batch, 3, params.image_size, params.image_size};
    const torch::Tensor a = torch::rand(shape, torch::TensorOptions().device(device)) * 2 - 1;
    const torch::Tensor b = torch::rand(shape, torch::TensorOptions().device(device)) * 2 - 1;
    trainer.step(a, b);  // warm-up
    r.train_step_ms = median_ms(options.train_steps, [&] { trainer.step(a, b); });
    r.train_images_per_s = 2.0 * params.batch / (r.train_step_ms / 1000.0);

    for (int size : {64, 128}) r.latency.push_back(latency(at_size(params, size), how, device, options.repeats));
    r.peak_rss_mb = peak_rss_mb();
    return r;
  });
}

}  // namespace atelier
