// The only file that includes c10d's Gloo header, which needs Gloo's own headers (libgloo-dev).
#ifdef ATELIER_HAVE_GLOO
#ifndef USE_C10D_GLOO  // LibTorch's CMake target usually defines it
#define USE_C10D_GLOO
#endif
#include <gloo/allreduce_ring.h>
#include <gloo/allreduce_ring_chunked.h>
#include <gloo/rendezvous/context.h>
#include <gloo/rendezvous/prefix_store.h>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#endif
#include <c10/util/Logging.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <torch/torch.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <limits>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

#include "atelier/error.h"
#include "core/data_parallel.h"
#include "core/image_batch.h"
#include "core/log.h"
#include "core/machine_load.h"

namespace atelier {
namespace {

constexpr int kRollCall_s = 5;  // how long the survivors of a failed exchange wait for each other

struct Address {
  std::string host;
  int port = 0;
};

Address parse_rendezvous(const std::string& text) {
  const auto colon = text.rfind(':');
  Address address;
  if (colon != std::string::npos && colon > 0) {
    address.host = text.substr(0, colon);
    const std::string port = text.substr(colon + 1);
    char* end = nullptr;
    const long value = port.empty() ? 0 : std::strtol(port.c_str(), &end, 10);
    if (end && *end == '\0' && value >= 1 && value <= 65535) address.port = int(value);
  }
  if (address.host.size() > 2 && address.host.front() == '[' && address.host.back() == ']')
    address.host = address.host.substr(1, address.host.size() - 2);  // [IPv6]:port
  if (address.host.empty() || address.port == 0) {
    throw bad_input("rendezvous '" + text +
                    "': expected HOST:PORT where rank 0 listens, for example 10.0.0.1:29500");
  }
  return address;
}

bool is_loopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

// c10d and Gloo log their socket errors to stderr through glog; the errors that matter reach
// the caller as exceptions, which this file words for a person.
void quiet_library_logs() {
#ifdef C10_USE_GLOG
  FLAGS_minloglevel = 3;
#else
  FLAGS_caffe2_log_level = 3;
#endif
}

std::string seconds_text(double s) {
  return std::to_string(static_cast<long long>(s)) + " s";
}

// An InPlaceSum through sum(): for the buffers that the direct rings cannot work on, and a world
// of one.
class CopyingSum : public DataParallel::InPlaceSum {
 public:
  CopyingSum(DataParallel& parallel, torch::Tensor buffer)
      : parallel_(parallel), buffer_(std::move(buffer)) {}
  void run() override { parallel_.sum(buffer_); }

 private:
  DataParallel& parallel_;
  torch::Tensor buffer_;
};

}  // namespace

#ifdef ATELIER_HAVE_GLOO

namespace {

// The exchanges a step waits for (sum, any) run in the calling thread, with Gloo's own ring
// algorithms on connections of their own in Gloo's synchronous mode: the thread writes to the
// socket and blocks reading the answer. Through c10d each exchange passes from the caller to a
// worker thread, and each message from Gloo's event-loop thread to that worker and back to the
// caller. Two processes on this 2-core machine (a virtual one, where waking a thread is dear),
// quiet, each computing 0.5-0.7 ms between exchanges: 1.3 ms an exchange of 64 floats through
// c10d against 0.08 ms here, 3.3 ms against 1.0 ms for 478,723 floats (oneshot's gradients). The
// padain classifier meets the other ranks about 25 times a step. The gradient buckets that start
// while a backward still runs stay on c10d's asynchronous exchanges (start_sum).
//
// While it waits for the answer, the thread sleeps in its read, or spins on the socket (Gloo's busy
// polling), which answers sooner where waking a thread is dear but keeps a core from everything
// else. `bench scale --method padain`, two processes of one thread: quiet, 1.19-1.24x one
// process's step rate sleeping, 1.46-1.49x spinning; beside a busy program, 31.1 steps/s sleeping
// and 27.5 spinning. So the exchanges spin only while the machine leaves a core unused, and stop
// when the process no longer gets its core (spin_for_load, looked at every kLoadLook_s).
//
// Each distinct (type, size, operation) gets one Gloo ring with a buffer of its own, built on
// first use. The ranks call the exchanges in the same order, so they build the same rings in the
// same order and Gloo's slots match. Two ranks use the plain ring (one round: each adds the
// other's values); more use the chunked ring, whose every element is summed once and then copied
// to every rank, so the ranks' results agree to the last bit.
class DirectExchanges {
 public:
  DirectExchanges(const c10::intrusive_ptr<c10d::Store>& store, int rank, int world_size,
                  std::shared_ptr<gloo::transport::Device> device,
                  std::chrono::milliseconds timeout)
      : context_(std::make_shared<gloo::rendezvous::Context>(rank, world_size)) {
    c10d::ProcessGroupGloo::GlooStore gloo_store(store);
    gloo::rendezvous::PrefixStore prefixed("atelier/direct", gloo_store);
    context_->setTimeout(timeout);
    context_->connectFullMesh(prefixed, device);
    for (int r = 0; r < world_size; ++r) {
      if (r != rank) context_->getPair(r)->setSync(true, /*busyPoll=*/false);
    }
  }

  // Spin or sleep during the next exchanges, as the machine's load asks now.
  void follow_load() {
    if (load_.seconds_since_last() < kLoadLook_s) return;
    const bool spin = spin_for_load(load_.usage_since_last(), load_.cores(), spinning_);
    if (spin == spinning_) return;
    for (int r = 0; r < context_->size; ++r) {
      if (r != context_->rank) context_->getPair(r)->setSync(true, spin);
    }
    spinning_ = spin;
    log::debug("data parallel: exchanges {} while they wait", spin ? "spin" : "sleep");
  }

  struct Ring {
    torch::Tensor buffer;  // contiguous, on the CPU: the ring's memory
    std::unique_ptr<gloo::Algorithm> algorithm;
  };

  // The ring for `tensor`'s type and size: sum, or maximum. Built on first use, with a buffer of
  // its own.
  Ring& ring_for(const torch::Tensor& tensor, bool max) {
    const auto key = std::make_tuple(tensor.scalar_type(), tensor.numel(), max);
    auto found = rings_.find(key);
    if (found != rings_.end()) return found->second;
    Ring ring = ring_on(torch::empty({tensor.numel()}, tensor.options().device(torch::kCPU)), max);
    return rings_.emplace(key, std::move(ring)).first->second;
  }

  // A ring that sums or maximises `buffer` (contiguous, on the CPU) in place, on its memory.
  // Error(Internal) for a type the engine never exchanges.
  Ring ring_on(const torch::Tensor& buffer, bool max) const {
    if (buffer.numel() > std::numeric_limits<int>::max())
      throw Error(ErrorKind::Internal, "data parallel: an exchange of more than 2^31 values");
    Ring ring;
    ring.buffer = buffer;
    switch (buffer.scalar_type()) {
      case torch::kFloat:
        ring.algorithm = make_ring<float>(ring.buffer, max);
        break;
      case torch::kDouble:
        ring.algorithm = make_ring<double>(ring.buffer, max);
        break;
      case torch::kInt:
        ring.algorithm = make_ring<std::int32_t>(ring.buffer, max);
        break;
      case torch::kLong:
        ring.algorithm = make_ring<std::int64_t>(ring.buffer, max);
        break;
      case torch::kByte:
        ring.algorithm = make_ring<std::uint8_t>(ring.buffer, max);
        break;
      default:
        throw Error(ErrorKind::Internal, "data parallel: an exchange of an unsupported type");
    }
    return ring;
  }

  // `tensor` (any device, any shape) replaced by its sum or maximum over the ranks, through `ring`.
  // In place and outside autograd (on a detached view), as c10d's collectives are.
  static void run(Ring& ring, const torch::Tensor& tensor) {
    const torch::Tensor values = tensor.detach();
    ring.buffer.copy_(values.reshape({-1}));
    ring.algorithm->run();
    values.copy_(ring.buffer.view(values.sizes()));
  }

 private:
  template <typename T>
  std::unique_ptr<gloo::Algorithm> make_ring(const torch::Tensor& buffer, bool max) const {
    const std::vector<T*> data = {buffer.data_ptr<T>()};
    const int count = static_cast<int>(buffer.numel());
    const gloo::ReductionFunction<T>* fn =
        max ? gloo::ReductionFunction<T>::max : gloo::ReductionFunction<T>::sum;
    if (context_->size == 2)
      return std::make_unique<gloo::AllreduceRing<T>>(context_, data, count, fn);
    return std::make_unique<gloo::AllreduceRingChunked<T>>(context_, data, count, fn);
  }

  static constexpr double kLoadLook_s = 0.3;
  std::shared_ptr<gloo::rendezvous::Context> context_;
  std::map<std::tuple<c10::ScalarType, std::int64_t, bool>, Ring> rings_;
  MachineLoad load_;
  bool spinning_ = false;
};

}  // namespace

struct DataParallel::Impl {
  int rank = 0;
  int world_size = 1;
  std::string rendezvous;
  c10::intrusive_ptr<c10d::TCPStore> store;
  c10::intrusive_ptr<c10d::ProcessGroupGloo> group;
  int failures = 0;
  std::mutex started_mutex;  // start_sum may be called from the autograd engine's threads
  std::vector<c10::intrusive_ptr<c10d::Work>> started;
  std::unique_ptr<DirectExchanges> direct;

  void wait(const c10::intrusive_ptr<c10d::Work>& work) {
    exchange([&] { work->wait(); });
  }
  void reduce(const torch::Tensor& tensor, bool max) {
    DirectExchanges::Ring& ring = direct->ring_for(tensor, max);
    exchange([&] {
      direct->follow_load();  // inside: a closed connection is a rank that stopped answering
      DirectExchanges::run(ring, tensor);
    });
  }

  void reduce_in_place(DirectExchanges::Ring& ring) {
    exchange([&] {
      direct->follow_load();
      ring.algorithm->run();
    });
  }

  template <typename F>
  void exchange(F&& f) {
    try {
      f();
    } catch (const std::exception& e) {
      log::debug("data parallel: exchange failed: {}", e.what());
      throw io_error("distributed training: " + missing_ranks() +
                     " stopped answering (its process ended, or its machine cannot be reached); "
                     "rank " +
                     std::to_string(rank) + " stops too");
    }
  }

  // After a failed exchange the survivors answer a roll call in the store: whoever does not
  // answer is named. The store lives in rank 0, so when it is gone rank 0 is the one missing.
  std::string missing_ranks() {
    const std::string round = "atelier/roll/" + std::to_string(++failures) + "/";
    try {
      store->set(round + std::to_string(rank), std::vector<std::uint8_t>{1});
      std::vector<std::string> keys;
      for (int r = 0; r < world_size; ++r) keys.push_back(round + std::to_string(r));
      try {
        store->wait(keys, std::chrono::seconds(kRollCall_s));
        return "another rank";  // everyone answered: the failure was in the network
      } catch (const std::exception&) {
      }
      std::string names;
      for (int r = 0; r < world_size; ++r) {
        if (r == rank || store->check({round + std::to_string(r)})) continue;
        names += (names.empty() ? "rank " : ", rank ") + std::to_string(r);
      }
      return names.empty() ? "another rank" : names;
    } catch (const std::exception&) {
      return "rank 0 (which holds the rendezvous at " + rendezvous + ")";
    }
  }
};

DataParallel::DataParallel(const DistributedOptions& options)
    : rank_(options.rank), world_size_(options.world_size) {
  check_distributed_options(options);
  if (world_size_ == 1) return;
  const Address address = parse_rendezvous(options.rendezvous);
  quiet_library_logs();
  impl_ = std::make_unique<Impl>();
  impl_->rank = rank_;
  impl_->world_size = world_size_;
  impl_->rendezvous = options.rendezvous;
  const auto timeout =
      std::chrono::milliseconds(static_cast<std::int64_t>(options.timeout_s * 1e3));
  const auto start = std::chrono::steady_clock::now();
  const auto waited_s = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  try {
    c10d::TCPStoreOptions store_options;
    store_options.port = static_cast<std::uint16_t>(address.port);
    store_options.isServer = rank_ == 0;
    store_options.numWorkers = static_cast<std::size_t>(world_size_);
    store_options.waitWorkers = true;
    store_options.timeout = timeout;
    impl_->store = c10::make_intrusive<c10d::TCPStore>(address.host, store_options);
  } catch (const std::exception& e) {
    log::debug("data parallel: store: {}", e.what());
    if (rank_ != 0) {
      throw io_error("could not meet rank 0 at " + options.rendezvous + " within " +
                     seconds_text(options.timeout_s) +
                     " (--rendezvous): is rank 0 running, and is that its address and port?");
    }
    if (waited_s() + 1 >= options.timeout_s) {
      throw io_error("not every one of the " + std::to_string(world_size_) + " ranks came to " +
                     options.rendezvous + " within " + seconds_text(options.timeout_s) +
                     ": start the others with the same --rendezvous and --world-size");
    }
    throw io_error("rank 0 cannot listen at " + options.rendezvous +
                   " (--rendezvous): the port is taken, or the address is not this machine's");
  }
  try {
    auto gloo = c10d::ProcessGroupGloo::Options::create(timeout);
    const char* interface = std::getenv("GLOO_SOCKET_IFNAME");
    if (is_loopback(address.host)) {
      gloo->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1"));
    } else if (interface && *interface) {
      gloo->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(interface));
    } else {
      gloo->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
    }
    impl_->group =
        c10::make_intrusive<c10d::ProcessGroupGloo>(impl_->store, rank_, world_size_, gloo);
    impl_->direct = std::make_unique<DirectExchanges>(impl_->store, rank_, world_size_,
                                                      gloo->devices.front(), timeout);
  } catch (const std::exception& e) {
    log::debug("data parallel: process group: {}", e.what());
    throw io_error("the " + std::to_string(world_size_) + " ranks met at " + options.rendezvous +
                   " but could not connect to each other within " +
                   seconds_text(options.timeout_s) +
                   " (a firewall, or GLOO_SOCKET_IFNAME naming the wrong network interface?)");
  }
  log::info("data parallel: rank {} of {} joined at {}", rank_, world_size_, options.rendezvous);
}

DataParallel::~DataParallel() = default;

void DataParallel::broadcast(const std::vector<torch::Tensor>& tensors) {
  if (!impl_) return;
  torch::NoGradGuard no_grad;
  for (const torch::Tensor& t : tensors) {
    std::vector<torch::Tensor> one = {t.detach()};
    impl_->wait(impl_->group->broadcast(one));
  }
}

void DataParallel::sum(const torch::Tensor& tensor) {
  if (!impl_) return;
  impl_->reduce(tensor, /*max=*/false);
}

void DataParallel::start_sum(const torch::Tensor& tensor) {
  if (!impl_) return;
  std::vector<torch::Tensor> one = {tensor};
  std::lock_guard<std::mutex> lock(impl_->started_mutex);
  impl_->started.push_back(impl_->group->allreduce(one));
}

void DataParallel::wait_sums() {
  if (!impl_) return;
  std::vector<c10::intrusive_ptr<c10d::Work>> started;
  {
    std::lock_guard<std::mutex> lock(impl_->started_mutex);
    started.swap(impl_->started);
  }
  for (const auto& work : started) impl_->wait(work);
}

std::unique_ptr<DataParallel::InPlaceSum> DataParallel::in_place_sum(const torch::Tensor& buffer) {
  if (!impl_ || !buffer.is_cpu() || !buffer.is_contiguous())
    return std::make_unique<CopyingSum>(*this, buffer);
  class DirectSum : public InPlaceSum {
   public:
    DirectSum(Impl& impl, const torch::Tensor& buffer)
        : impl_(impl), ring_(impl.direct->ring_on(buffer, /*max=*/false)) {}
    void run() override { impl_.reduce_in_place(ring_); }

   private:
    Impl& impl_;
    DirectExchanges::Ring ring_;
  };
  return std::make_unique<DirectSum>(*impl_, buffer);
}

bool DataParallel::any(bool flag) {
  if (!impl_) return flag;
  const torch::Tensor value = torch::full({1}, flag ? 1 : 0, torch::kInt);
  impl_->reduce(value, /*max=*/true);
  return value.item<int>() != 0;
}

#else  // no Gloo headers when this was built

struct DataParallel::Impl {};

DataParallel::DataParallel(const DistributedOptions& options)
    : rank_(options.rank), world_size_(options.world_size) {
  if (world_size_ > 1) {
    throw usage_error(
        "this build of Atelier has no distributed training: LibTorch's Gloo headers were missing "
        "when it was built (Debian: libgloo-dev)");
  }
}
DataParallel::~DataParallel() = default;
void DataParallel::broadcast(const std::vector<torch::Tensor>&) {}
void DataParallel::sum(const torch::Tensor&) {}
void DataParallel::start_sum(const torch::Tensor&) {}
std::unique_ptr<DataParallel::InPlaceSum> DataParallel::in_place_sum(const torch::Tensor& buffer) {
  return std::make_unique<CopyingSum>(*this, buffer);
}
void DataParallel::wait_sums() {}
bool DataParallel::any(bool flag) {
  return flag;
}

#endif

torch::Tensor DataParallel::own_positions(std::int64_t batch) const {
  return torch::arange(rank_, batch, world_size_, torch::kLong);
}

torch::Tensor DataParallel::draw_batch(const torch::Tensor& held, const torch::Tensor& owner,
                                       const torch::Tensor& row, int batch, bool flip,
                                       const torch::Device& device) {
  // One process's draw over the whole set: its rows are indices into it.
  const BatchDraw draw = draw_batch_rows(owner.size(0), batch, flip);
  if (world_size_ == 1) return gather_batch(held, draw, device);
  const torch::Tensor own = own_positions(batch);
  return gather_batch(gather_own(held, owner, row, draw.rows),
                      {torch::arange(own.size(0)), draw.flips.index_select(0, own)}, device);
}

torch::Tensor DataParallel::gather_own(const torch::Tensor& held, const torch::Tensor& owner,
                                       const torch::Tensor& row, const torch::Tensor& rows) {
  if (world_size_ == 1) return held.index_select(0, row.index_select(0, rows));
  std::vector<std::int64_t> shape = held.sizes().vec();
  shape[0] = rows.size(0);
  torch::Tensor whole = torch::zeros(shape, held.options());
  const torch::Tensor here = owner.index_select(0, rows) == rank_;
  const torch::Tensor positions = here.nonzero().view({-1});
  if (positions.numel() > 0) {
    const torch::Tensor held_rows = row.index_select(0, rows).masked_select(here);
    whole.index_copy_(0, positions, held.index_select(0, held_rows));
  }
  sum(whole);
  return whole.index_select(0, own_positions(rows.size(0)));
}

void check_distributed_options(const DistributedOptions& options) {
  if (options.world_size < 1) throw bad_input("the world size must be at least 1");
  if (options.rank < 0 || options.rank >= options.world_size) {
    throw bad_input("rank " + std::to_string(options.rank) + " is outside a world of " +
                    std::to_string(options.world_size) + " (ranks 0 to " +
                    std::to_string(options.world_size - 1) + ")");
  }
  if (!options.active()) return;
  if (!(options.timeout_s > 0)) throw bad_input("the rendezvous timeout must be positive");
  parse_rendezvous(options.rendezvous);
}

int free_local_port() {
  const int s = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  const bool found = s >= 0 &&
                     bind(s, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                     getsockname(s, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  if (s >= 0) close(s);
  if (!found) throw io_error("no free port on 127.0.0.1 for the ranks to meet");
  return ntohs(address.sin_port);
}

std::vector<torch::Tensor> optimiser_parameters(const torch::optim::Optimizer& optimiser) {
  std::vector<torch::Tensor> params;
  for (const auto& group : optimiser.param_groups())
    params.insert(params.end(), group.params().begin(), group.params().end());
  return params;
}

}  // namespace atelier
