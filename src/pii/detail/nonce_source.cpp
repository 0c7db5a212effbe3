#include "pii/detail/nonce_source.hpp"

#include <pthread.h>
#include <sodium.h>

#include <atomic>
#include <cstdint>
#include <cstring>

VETERAN_NAMESPACE_BEGIN
namespace pii::detail {

namespace {

constexpr std::size_t kBlock = 1024;

std::atomic<std::uint64_t> g_generation{1};

void after_fork_in_child() noexcept {
  g_generation.fetch_add(1, std::memory_order_relaxed);
}

struct nonce_buffer {
  unsigned char bytes[kBlock];
  std::size_t used = kBlock; // empty until first refill
  std::uint64_t generation = 0;
};

thread_local nonce_buffer t_buf;

} // namespace

void random_nonce(unsigned char *out, std::size_t n) noexcept {
  // Registered once, before the first byte is handed out (thread-safe static
  // initialisation; afterwards a cheap guard check).
  static const bool registered = pthread_atfork(nullptr, nullptr, after_fork_in_child) == 0;
  nonce_buffer &b = t_buf;
  const std::uint64_t gen = g_generation.load(std::memory_order_relaxed);
  // Without the fork handler, refill on every call rather than risk handing
  // a forked child the parent's bytes.
  if (!registered || b.generation != gen || kBlock - b.used < n) {
    randombytes_buf(b.bytes, kBlock);
    b.used = 0;
    b.generation = gen;
  }
  // Nonces are public, so used bytes need no wiping; `used` only moves
  // forward, so no byte is handed out twice.
  std::memcpy(out, b.bytes + b.used, n);
  b.used += n;
}

} // namespace pii::detail
VETERAN_NAMESPACE_END
