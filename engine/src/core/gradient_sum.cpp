#include "core/gradient_sum.h"

#include <torch/csrc/autograd/function.h>
#include <torch/csrc/autograd/utils/lambda_post_hook.h>
#include <torch/csrc/autograd/variable.h>
#include <torch/torch.h>

#include <mutex>

#include "atelier/error.h"
#include "core/data_parallel.h"

namespace atelier {

struct GradientSum::State {
  struct Bucket {
    std::vector<std::size_t> members;  // indices into params
    int pending = 0;                   // members whose gradient this backward has not given yet
    // The members' gradients end to end, summed in place. Each member's .grad is a tensor on
    // this memory (slots), so that a backward accumulates straight into it (as
    // DistributedDataParallel's gradient_as_bucket_view): no gathering before the sum, no
    // copying back after it. Slots are plain tensors on the memory, not views, since an
    // optimiser's zero_grad detaches the gradients in place, which views do not allow.
    torch::Tensor flat;
    std::vector<torch::Tensor> slots;                    // per member
    std::unique_ptr<DataParallel::InPlaceSum> in_place;  // the last bucket's exchange
  };

  DataParallel& parallel;
  std::vector<torch::Tensor> params;
  std::vector<std::size_t> bucket_of;  // per parameter
  std::vector<Bucket> buckets;
  // The parameters' gradient accumulators, kept alive so that the hooks stay on them while a
  // parameter's requires_grad is switched off and on (FrozenWeights).
  std::vector<std::shared_ptr<torch::autograd::Node>> accumulators;
  std::vector<std::uintptr_t> hooks;

  std::mutex mutex;  // the hooks run on the autograd engine's threads
  std::vector<bool> given;
  std::size_t next = 0;  // the next bucket to start
  bool armed = false;
  bool given_twice = false;
  int early = 0;

  explicit State(DataParallel& p) : parallel(p) {}

  // The bucket's memory and its members' slots on it.
  void allocate(Bucket& bucket) {
    std::int64_t total = 0;
    for (std::size_t i : bucket.members) total += params[i].numel();
    const torch::Tensor& first = params[bucket.members.front()];
    bucket.flat = torch::zeros({total}, first.options().requires_grad(false));
    std::int64_t offset = 0;
    for (std::size_t i : bucket.members) {
      const torch::Tensor& p = params[i];
      void* at = static_cast<char*>(bucket.flat.data_ptr()) + offset * bucket.flat.element_size();
      const torch::Tensor keep = bucket.flat;
      bucket.slots.push_back(torch::from_blob(
          at, p.sizes(), [keep](void*) {}, bucket.flat.options()));
      offset += p.numel();
    }
  }

  // Each member's gradient on its slot. Gradients that another owner replaced (or none yet) are
  // copied there (zeros).
  void adopt(Bucket& bucket) {
    for (std::size_t m = 0; m < bucket.members.size(); ++m) {
      torch::Tensor& grad = params[bucket.members[m]].mutable_grad();
      const torch::Tensor& slot = bucket.slots[m];
      if (grad.defined() && grad.is_same(slot)) continue;
      if (grad.defined())
        slot.copy_(grad);
      else
        slot.zero_();
      grad = slot;
    }
  }

  // After AccumulateGrad has added this backward's gradient of params[i] into its .grad.
  void gradient_given(std::size_t i) {
    std::lock_guard<std::mutex> lock(mutex);
    if (!armed) return;
    if (given[i]) {
      given_twice = true;
      return;
    }
    given[i] = true;
    if (--buckets[bucket_of[i]].pending == 0) {
      while (next < buckets.size() && buckets[next].pending == 0) {
        start(next++);
        ++early;
      }
    }
  }

  void start(std::size_t b) {
    torch::NoGradGuard no_grad;
    Bucket& bucket = buckets[b];
    adopt(bucket);  // a backward that records a graph replaces the gradients it adds to
    // The last bucket has no backward left to overlap: its sum runs at once, in this thread,
    // which costs less than a background exchange.
    if (bucket.in_place)
      bucket.in_place->run();
    else
      parallel.start_sum(bucket.flat);
  }
};

GradientSum::GradientSum(DataParallel& parallel, const std::vector<torch::Tensor>& params,
                         std::int64_t bucket_bytes)
    : state_(std::make_unique<State>(parallel)) {
  State& s = *state_;
  if (parallel.world_size() == 1) return;
  s.params = params;
  s.bucket_of.resize(params.size());
  s.given.resize(params.size());
  // The last parameters first: a backward reaches the last layers first. A bucket holds one
  // type on one device.
  const auto fits = [&](const torch::Tensor& p) {
    const torch::Tensor& first = params[s.buckets.back().members.front()];
    return p.scalar_type() == first.scalar_type() && p.device() == first.device();
  };
  std::int64_t bytes = 0;
  for (std::size_t k = params.size(); k-- > 0;) {
    if (s.buckets.empty() || bytes >= bucket_bytes || !fits(params[k])) {
      s.buckets.emplace_back();
      bytes = 0;
    }
    s.buckets.back().members.push_back(k);
    s.bucket_of[k] = s.buckets.size() - 1;
    bytes += params[k].numel() * params[k].element_size();
  }
  for (State::Bucket& bucket : s.buckets) s.allocate(bucket);
  s.buckets.back().in_place = parallel.in_place_sum(s.buckets.back().flat);
  for (std::size_t k = 0; k < params.size(); ++k) {
    std::shared_ptr<torch::autograd::Node> accumulator =
        torch::autograd::impl::grad_accumulator(params[k]);
    if (!accumulator) {
      throw Error(ErrorKind::Internal,
                  "GradientSum: parameter " + std::to_string(k) + " does not require a gradient");
    }
    State* state = &s;
    s.hooks.push_back(
        accumulator->add_post_hook(std::make_unique<torch::autograd::utils::LambdaPostHook>(
            [state, k](const torch::autograd::variable_list& outputs,
                       const torch::autograd::variable_list&) {
              state->gradient_given(k);
              return outputs;
            })));
    s.accumulators.push_back(std::move(accumulator));
  }
}

GradientSum::~GradientSum() {
  State& s = *state_;
  for (std::size_t k = 0; k < s.accumulators.size(); ++k)
    s.accumulators[k]->del_post_hook(s.hooks[k]);
}

void GradientSum::begin() {
  State& s = *state_;
  if (s.params.empty()) return;
  std::lock_guard<std::mutex> lock(s.mutex);
  torch::NoGradGuard no_grad;
  for (State::Bucket& bucket : s.buckets) {
    bucket.pending = static_cast<int>(bucket.members.size());
    s.adopt(bucket);
  }
  std::fill(s.given.begin(), s.given.end(), false);
  s.next = 0;
  s.early = 0;
  s.given_twice = false;
  s.armed = true;
}

void GradientSum::finish() {
  State& s = *state_;
  if (s.params.empty()) return;
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    s.armed = false;
    // The buckets still waiting for a gradient (of a parameter this backward did not reach).
    while (s.next < s.buckets.size()) s.start(s.next++);
  }
  s.parallel.wait_sums();
  if (s.given_twice) {
    throw Error(ErrorKind::Internal,
                "GradientSum: a second backward ran between begin() and finish()");
  }
  // The gradients are the slots, which now hold the sums.
}

int GradientSum::buckets() const {
  return static_cast<int>(state_->buckets.size());
}

int GradientSum::started_during_backward() const {
  return state_->early;
}

}  // namespace atelier
