// The training steps of both phases. Least-squares GAN losses throughout.
#include <torch/nn/functional/loss.h>
#include <torch/torch.h>

#include <optional>

#include "core/data_parallel.h"
#include "core/image_batch.h"
#include "methods/oneshot/data.h"
#include "methods/oneshot/trainer.h"
#include "nn/train_utils.h"

namespace atelier::oneshot {
namespace {

namespace F = torch::nn::functional;

torch::Tensor wants_real(const torch::Tensor& logits) {
  return F::mse_loss(logits, torch::ones_like(logits));
}

torch::Tensor wants_fake(const torch::Tensor& logits) {
  return F::mse_loss(logits, torch::zeros_like(logits));
}

torch::Tensor l1(const torch::Tensor& x, const torch::Tensor& target) {
  return (x - target).abs().mean();
}

}  // namespace

torch::Tensor Trainer::draw_a_batch() {
  if (params_.augment) return augmented_copies(a_image_, params_.a_batch, augment_range(params_));
  return a_image_.expand({params_.a_batch, -1, -1, -1}).contiguous();
}

StepLosses Trainer::draw_and_step() {
  if (phase_ == 1) {
    // Every rank draws what one process draws; the ranks exchange the drawn images, so that
    // their parts are equal (the rank with the larger part would set the pace of every step).
    const torch::Tensor xb =
        parallel_->draw_batch(b_set_, b_owner_, b_row_, params_.batch, params_.flip, device_);
    return base_step(xb, double(xb.size(0)) / params_.batch);
  }
  const torch::Tensor xb = sample_batch(b_set_, params_.batch, params_.flip, device_);
  return translation_step(xb, draw_a_batch());
}

torch::Tensor Trainer::b_losses(const torch::Tensor& xb, const torch::Tensor& code_b,
                                StepLosses& losses) {
  const torch::Tensor rec = nets_->decode(code_b, Domain::B);
  const torch::Tensor l_rec = l1(rec, xb);
  const torch::Tensor l_latent = code_b.square().mean();
  losses.rec_b = l_rec.item<double>();
  losses.latent = l_latent.item<double>();
  torch::Tensor total = params_.rec_weight * l_rec + params_.latent_weight * l_latent;
  if (phase_ == 1 && params_.base_gan_weight > 0) {
    nn::FrozenWeights frozen({d_b_.get()});
    const torch::Tensor l_gan = wants_real(d_b_->forward(rec));
    losses.gan_base = l_gan.item<double>();
    total = total + params_.base_gan_weight * l_gan;
  }
  return total;
}

StepLosses Trainer::base_step(const torch::Tensor& xb, double share) {
  nets_->train();
  StepLosses losses;
  opt_b_->zero_grad();
  // A data-parallel rank gets no images when the batch is smaller than the world; it still takes
  // its part in the sum of the gradients.
  const bool has_images = xb.size(0) > 0;
  torch::Tensor code_b;
  grads_b_->begin();
  if (has_images) {
    code_b = nets_->encode(xb, Domain::B);
    (share * b_losses(xb, code_b, losses)).backward();
  }
  grads_b_->finish();
  opt_b_->step();
  if (params_.base_gan_weight > 0) {
    torch::Tensor rec = xb;
    if (has_images) {
      torch::NoGradGuard no_grad;
      rec = nets_->decode(code_b.detach(), Domain::B);
    }
    losses.d = discriminator_step({{&d_b_, xb}}, {{&d_b_, rec}}, share);
  }
  return losses;
}

Trainer::Fakes Trainer::a_side_losses(const torch::Tensor& xa, const torch::Tensor& code_b,
                                      StepLosses& losses) {
  // Selective backpropagation: the A-side losses reach only A's own outer layers; the shared
  // layers and B's keep what B's own losses teach them.
  std::optional<nn::FrozenWeights> shared_fixed;
  if (params_.selective) {
    std::vector<torch::nn::Module*> fixed = nets_->shared_modules();
    for (torch::nn::Module* m : nets_->own_modules(Domain::B)) fixed.push_back(m);
    shared_fixed.emplace(fixed);
  }
  nn::FrozenWeights critics({d_a_.get(), d_b_.get()});

  // Reconstruction of the (augmented) A image through A's encoder and decoder.
  const torch::Tensor code_a = nets_->encode(xa, Domain::A);
  const torch::Tensor l_rec = l1(nets_->decode(code_a, Domain::A), xa);
  const torch::Tensor l_latent = code_a.square().mean();

  // GAN losses both ways: A->B must look like B, B->A like the A image.
  Fakes fakes;
  fakes.ab = nets_->decode(code_a, Domain::B);
  fakes.ba = nets_->decode(code_b, Domain::A);
  const torch::Tensor l_gan_ab = wants_real(d_b_->forward(fakes.ab));
  const torch::Tensor l_gan_ba = wants_real(d_a_->forward(fakes.ba));
  torch::Tensor total = params_.rec_weight * l_rec + params_.latent_weight * l_latent +
                        params_.gan_weight * (l_gan_ab + l_gan_ba);

  // The one-way cycle A->B->A: the translation must keep what makes the A image itself.
  if (params_.cycle_weight > 0) {
    const torch::Tensor aba = nets_->translate(fakes.ab, Domain::B);
    const torch::Tensor l_cycle = l1(aba, xa);
    losses.cycle = l_cycle.item<double>();
    total = total + params_.cycle_weight * l_cycle;
  }
  total.backward();
  losses.rec_a = l_rec.item<double>();
  losses.gan_ab = l_gan_ab.item<double>();
  losses.gan_ba = l_gan_ba.item<double>();
  return fakes;
}

StepLosses Trainer::translation_step(const torch::Tensor& xb, const torch::Tensor& xa) {
  nets_->train();
  StepLosses losses;
  opt_b_->zero_grad();
  opt_a_->zero_grad();

  // 1. B's own losses keep training B's layers and the shared ones.
  const torch::Tensor code_b = nets_->encode(xb, Domain::B);
  b_losses(xb, code_b, losses).backward();

  // 2. The A-side losses (their gradients add to the same buffers unless selective).
  const Fakes fakes = a_side_losses(xa, code_b.detach(), losses);

  // 3. One update of every layer from what reached it.
  opt_b_->step();
  opt_a_->step();

  // 4. The discriminators: B's real images against A->B, the A image against B->A.
  losses.d = discriminator_step({{&d_b_, xb}, {&d_a_, xa}},
                                {{&d_b_, fakes.ab.detach()}, {&d_a_, fakes.ba.detach()}});
  return losses;
}

void Trainer::a_side_update(const torch::Tensor& xb, const torch::Tensor& xa) {
  nets_->train();
  StepLosses losses;
  opt_b_->zero_grad();
  opt_a_->zero_grad();
  torch::Tensor code_b;
  {
    torch::NoGradGuard no_grad;
    code_b = nets_->encode(xb, Domain::B);
  }
  a_side_losses(xa, code_b, losses);
  opt_a_->step();
  // Without selective backpropagation the A-side losses also move the shared layers and B's.
  if (!params_.selective) opt_b_->step();
}

double Trainer::discriminator_step(
    const std::vector<std::pair<Discriminator*, torch::Tensor>>& real,
    const std::vector<std::pair<Discriminator*, torch::Tensor>>& fake, double share) {
  opt_d_->zero_grad();
  grads_d_->begin();
  torch::Tensor total = torch::zeros({}, real.front().second.options());
  for (const auto& [d, x] : real) {
    if (x.size(0) > 0) total = total + 0.5 * wants_real((*d)->forward(x));
  }
  for (const auto& [d, x] : fake) {
    if (x.size(0) > 0) total = total + 0.5 * wants_fake((*d)->forward(x));
  }
  if (total.requires_grad()) (share * total).backward();
  grads_d_->finish();
  opt_d_->step();
  return total.item<double>();
}

}  // namespace atelier::oneshot
