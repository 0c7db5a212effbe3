// Internal: random nonces for the field codec, buffered per thread.
//
// A getrandom() system call per value costs more than the AEAD itself for
// short fields, so each thread draws nonce material from libsodium's
// randombytes_buf (the OS CSPRNG) in blocks and hands out 24 bytes at a time;
// bytes are consumed once and never reused. After fork() a child process must
// not hand out the parent's remaining bytes (both would then use the same
// nonces): a pthread_atfork child handler bumps a global generation, and a
// thread whose buffer belongs to an older generation refills it first.
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
