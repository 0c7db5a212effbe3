// Internal: random nonces for the field codec, buffered per thread.
//
// A getrandom() system call per value costs more than the AEAD itself for
// short fields, so each thread draws nonce material from libsodium's
// randombytes_buf (the OS CSPRNG) in blocks and hands out 24 bytes at a time;
// bytes are consumed once and never reused. A child process must not hand out
// the parent's remaining bytes (both would then use the same nonces under the
// same key): each thread's buffer lives in a MADV_WIPEONFORK mapping, which
// the kernel zeroes in any child that does not share the address space —
// including children of a raw clone system call, which run no
// pthread_atfork handlers. Where the kernel lacks MADV_WIPEONFORK, the owner
// pid (the raw getpid system call) is checked on every call instead.
#pragma once

#include <cstddef>

#include "veteran/version.hpp"

VETERAN_NAMESPACE_BEGIN
namespace pii::detail {

/// Writes `n` (<= 64) fresh random bytes to `out`. Thread-safe.
/// Precondition: libsodium initialised.
void random_nonce(unsigned char *out, std::size_t n) noexcept;

} // namespace pii::detail
VETERAN_NAMESPACE_END
