// Torch glue for model archives: tensors, modules and Adam states as raw little-endian bytes.
#include "core/archive_tensors.h"

#include <torch/torch.h>

#include <cstring>
#include <sstream>
#include <type_traits>

#include "atelier/error.h"

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "model archives store tensors little-endian; a big-endian host needs byte swaps");

namespace atelier {
namespace {

struct DtypeName {
  torch::ScalarType type;
  const char* name;
};
constexpr DtypeName kDtypes[] = {
    {torch::kFloat32, "float32"},   {torch::kFloat64, "float64"}, {torch::kFloat16, "float16"},
    {torch::kBFloat16, "bfloat16"}, {torch::kInt64, "int64"},     {torch::kInt32, "int32"},
    {torch::kUInt8, "uint8"},       {torch::kBool, "bool"},
};

std::string file_of(const RawModelArchive& archive) {
  return archive.info.path.empty() ? std::string("model archive") : archive.info.path;
}

std::string shape_text(torch::IntArrayRef shape) {
  std::ostringstream out;
  out << shape;
  return out.str();
}

std::string join_name(const std::string& prefix, const std::string& name) {
  return prefix.empty() ? name : prefix + "." + name;
}

// Copies stored values into `target` (same shape; dtype and device converted).
void load_into(const RawModelArchive& archive, const std::string& name, torch::Tensor& target) {
  const torch::Tensor stored = get_tensor(archive, name);
  if (stored.sizes() != target.sizes())
    throw bad_input(file_of(archive) + ": tensor '" + name + "' has shape " +
                    shape_text(stored.sizes()) + ", the model expects " +
                    shape_text(target.sizes()));
  torch::NoGradGuard no_grad;
  target.copy_(stored);
}

// A stored tensor on the device and dtype of `like`, with `like`'s shape checked.
torch::Tensor load_like(const RawModelArchive& archive, const std::string& name,
                        const torch::Tensor& like) {
  torch::Tensor t = torch::empty_like(like, torch::MemoryFormat::Contiguous);
  load_into(archive, name, t);
  return t;
}

// Adam hyper-parameters of a group, restored with the moments like PyTorch's load_state_dict
// does, so that a schedule that changed the learning rate resumes where it was.
torch::Tensor adam_options_tensor(const torch::optim::AdamOptions& o) {
  return torch::tensor({o.lr(), std::get<0>(o.betas()), std::get<1>(o.betas()), o.eps(),
                        o.weight_decay(), o.amsgrad() ? 1.0 : 0.0},
                       torch::kFloat64);
}

}  // namespace

void put_tensor(RawModelArchive& archive, const std::string& name, const torch::Tensor& tensor) {
  const torch::Tensor t = tensor.detach().to(torch::kCPU).contiguous();
  // A model with NaN or infinite weights can never be used again: better no file than that one.
  if (t.is_floating_point() && t.numel() > 0 && !torch::isfinite(t).all().item<bool>())
    throw bad_input(file_of(archive) + ": tensor '" + name +
                    "' holds NaN or infinite values (the training diverged); the model was not "
                    "written");
  const DtypeName* dtype = nullptr;
  for (const DtypeName& d : kDtypes)
    if (d.type == t.scalar_type()) dtype = &d;
  if (!dtype)
    throw Error(ErrorKind::Internal, file_of(archive) + ": tensor '" + name + "' has dtype " +
                                         std::string(c10::toString(t.scalar_type())) +
                                         ", which model files cannot store");
  RawTensor raw;
  raw.dtype = dtype->name;
  raw.shape.assign(t.sizes().begin(), t.sizes().end());
  const auto nbytes = static_cast<std::size_t>(t.numel()) * t.element_size();
  raw.bytes.resize(nbytes);
  if (nbytes) std::memcpy(raw.bytes.data(), t.data_ptr(), nbytes);
  archive.tensors[name] = std::move(raw);
}

torch::Tensor get_tensor(const RawModelArchive& archive, const std::string& name,
                         const torch::Device& device) {
  const auto it = archive.tensors.find(name);
  if (it == archive.tensors.end())
    throw bad_input(file_of(archive) + ": tensor '" + name + "' is missing");
  const RawTensor& raw = it->second;
  const DtypeName* dtype = nullptr;
  for (const DtypeName& d : kDtypes)
    if (raw.dtype == d.name) dtype = &d;
  if (!dtype)
    throw bad_input(file_of(archive) + ": tensor '" + name + "' has unknown dtype '" + raw.dtype +
                    "'");
  torch::Tensor t = torch::empty(raw.shape, torch::TensorOptions().dtype(dtype->type));
  const auto nbytes = static_cast<std::size_t>(t.numel()) * t.element_size();
  if (nbytes != raw.bytes.size())
    throw bad_input(file_of(archive) + ": tensor '" + name + "' holds " +
                    std::to_string(raw.bytes.size()) + " bytes, its shape needs " +
                    std::to_string(nbytes));
  if (nbytes) std::memcpy(t.data_ptr(), raw.bytes.data(), nbytes);
  return t.to(device);
}

std::int64_t stored_numel(const RawModelArchive& archive, const std::string& prefix) {
  const std::string start = prefix + ".";
  std::int64_t total = 0;
  for (auto it = archive.tensors.lower_bound(start);
       it != archive.tensors.end() && it->first.compare(0, start.size(), start) == 0; ++it) {
    std::int64_t count = 1;
    for (std::int64_t dim : it->second.shape) count *= dim;  // bounded by the file's bytes
    total += count;
  }
  return total;
}

void require_stored_numbers(const RawModelArchive& archive, const std::string& prefix,
                            std::int64_t least, const std::string& what) {
  const std::int64_t stored = stored_numel(archive, prefix);
  if (stored >= least) return;
  throw bad_input(file_of(archive) + ": not a usable " + archive.info.method + " model: its " +
                  "parameters make " + what + " hold at least " + std::to_string(least) +
                  " numbers, but the file stores " + std::to_string(stored) +
                  " (damaged or crafted parameters)");
}

void put_module(RawModelArchive& archive, const std::string& prefix,
                const torch::nn::Module& module) {
  for (const auto& item : module.named_parameters(/*recurse=*/true))
    put_tensor(archive, join_name(prefix, item.key()), item.value());
  for (const auto& item : module.named_buffers(/*recurse=*/true))
    put_tensor(archive, join_name(prefix, item.key()), item.value());
}

void get_module(const RawModelArchive& archive, const std::string& prefix,
                torch::nn::Module& module) {
  for (auto& item : module.named_parameters(/*recurse=*/true))
    load_into(archive, join_name(prefix, item.key()), item.value());
  for (auto& item : module.named_buffers(/*recurse=*/true))
    load_into(archive, join_name(prefix, item.key()), item.value());
}

// The optimizer's state is keyed by the parameter's TensorImpl: its address as text up to
// LibTorch 1.13 (what c10::guts::to_string wrote), the pointer itself since 2.0.
template <typename StateMap>
typename StateMap::key_type state_key(const torch::Tensor& param) {
  if constexpr (std::is_same_v<typename StateMap::key_type, std::string>) {
    std::ostringstream text;
    text << param.unsafeGetTensorImpl();
    return text.str();
  } else {
    return param.unsafeGetTensorImpl();
  }
}

// Layout under `prefix`: "groups" (int64, parameter count per group), then per group g
// "g<g>.options" and per parameter p with a state "g<g>.p<p>.{step,exp_avg,exp_avg_sq}" and
// "g<g>.p<p>.max_exp_avg_sq" when amsgrad made one.
void put_adam(RawModelArchive& archive, const std::string& prefix, torch::optim::Adam& optimizer) {
  auto& groups = optimizer.param_groups();
  std::vector<std::int64_t> counts;
  for (const auto& group : groups)
    counts.push_back(static_cast<std::int64_t>(group.params().size()));
  put_tensor(archive, join_name(prefix, "groups"), torch::tensor(counts, torch::kInt64));

  for (std::size_t g = 0; g < groups.size(); ++g) {
    const std::string group_name = join_name(prefix, "g" + std::to_string(g));
    const auto& options = static_cast<const torch::optim::AdamOptions&>(groups[g].options());
    put_tensor(archive, group_name + ".options", adam_options_tensor(options));
    const auto& params = groups[g].params();
    for (std::size_t p = 0; p < params.size(); ++p) {
      using StateMap = std::decay_t<decltype(optimizer.state())>;
      const auto it = optimizer.state().find(state_key<StateMap>(params[p]));
      if (it == optimizer.state().end()) continue;  // never stepped
      const auto& state = static_cast<const torch::optim::AdamParamState&>(*it->second);
      const std::string name = group_name + ".p" + std::to_string(p);
      put_tensor(archive, name + ".step", torch::tensor(state.step(), torch::kInt64));
      put_tensor(archive, name + ".exp_avg", state.exp_avg());
      put_tensor(archive, name + ".exp_avg_sq", state.exp_avg_sq());
      if (state.max_exp_avg_sq().defined())
        put_tensor(archive, name + ".max_exp_avg_sq", state.max_exp_avg_sq());
    }
  }
}

void get_adam(const RawModelArchive& archive, const std::string& prefix,
              torch::optim::Adam& optimizer) {
  auto& groups = optimizer.param_groups();
  const torch::Tensor counts = get_tensor(archive, join_name(prefix, "groups"));
  std::vector<std::int64_t> expected;
  for (const auto& group : groups)
    expected.push_back(static_cast<std::int64_t>(group.params().size()));
  std::vector<std::int64_t> saved;
  if (counts.dim() == 1 && counts.scalar_type() == torch::kInt64)
    saved.assign(counts.data_ptr<std::int64_t>(), counts.data_ptr<std::int64_t>() + counts.numel());
  if (saved != expected)
    throw bad_input(file_of(archive) + ": optimizer '" + prefix + "' was saved with " +
                    shape_text(saved) + " parameters per group, this model has " +
                    shape_text(expected));

  auto& state = optimizer.state();
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const std::string group_name = join_name(prefix, "g" + std::to_string(g));
    const torch::Tensor o = get_tensor(archive, group_name + ".options");
    if (o.dim() != 1 || o.size(0) != 6 || o.scalar_type() != torch::kFloat64)
      throw bad_input(file_of(archive) + ": tensor '" + group_name + ".options' is malformed");
    auto& options = static_cast<torch::optim::AdamOptions&>(groups[g].options());
    options.lr(o[0].item<double>())
        .betas({o[1].item<double>(), o[2].item<double>()})
        .eps(o[3].item<double>())
        .weight_decay(o[4].item<double>())
        .amsgrad(o[5].item<double>() != 0);

    const auto& params = groups[g].params();
    for (std::size_t p = 0; p < params.size(); ++p) {
      const auto key = state_key<std::decay_t<decltype(state)>>(params[p]);
      const std::string name = group_name + ".p" + std::to_string(p);
      if (!archive.tensors.count(name + ".step")) {
        state.erase(key);  // saved before this parameter's first step
        continue;
      }
      const torch::Tensor step = get_tensor(archive, name + ".step");
      if (step.dim() != 0 || step.scalar_type() != torch::kInt64)
        throw bad_input(file_of(archive) + ": tensor '" + name + ".step' is malformed");
      const torch::Tensor like = params[p].detach();
      auto restored = std::make_unique<torch::optim::AdamParamState>();
      restored->step(step.item<std::int64_t>());
      restored->exp_avg(load_like(archive, name + ".exp_avg", like));
      restored->exp_avg_sq(load_like(archive, name + ".exp_avg_sq", like));
      if (archive.tensors.count(name + ".max_exp_avg_sq"))
        restored->max_exp_avg_sq(load_like(archive, name + ".max_exp_avg_sq", like));
      else if (options.amsgrad())
        throw bad_input(file_of(archive) + ": tensor '" + name + ".max_exp_avg_sq' is missing");
      state[key] = std::move(restored);
    }
  }
}

}  // namespace atelier
