#include "app/stage/torch_call_counter.hpp"

#include <ATen/record_function.h>

namespace lw::stage {

namespace {
// ATen's observer is a plain function pointer with no user data, so the count lives in a
// thread-local: each thread counts its own calls, and only the stage's thread registers.
thread_local std::uint64_t t_calls = 0;

std::unique_ptr<at::ObserverContext> on_call(const at::RecordFunction&) {
  ++t_calls;
  return nullptr;
}
}  // namespace

TorchCallCounter::TorchCallCounter()
    : handle_(at::addThreadLocalCallback(at::RecordFunctionCallback(&on_call))), start_(t_calls) {}

TorchCallCounter::~TorchCallCounter() { at::removeCallback(handle_); }

std::uint64_t TorchCallCounter::calls() const { return t_calls - start_; }

}  // namespace lw::stage
