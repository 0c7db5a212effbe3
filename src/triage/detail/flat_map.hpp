// Small open-addressing hash tables for the triage matcher's hot path.
// Built once at pack compile time, then read-only (safe to share across
// threads). Linear probing, power-of-two capacity, load factor <= 0.5.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "veteran/version.hpp"
VETERAN_NAMESPACE_BEGIN
namespace triage::detail {

inline std::uint64_t hash_bytes(const char *p, std::size_t n) noexcept {
  // Word-at-a-time multiply-xorshift: tokens are short, so reading 8 bytes per
  // step beats byte-wise hashes here.
  std::uint64_t h = 0x9E3779B97F4A7C15ULL ^ (n * 0xff51afd7ed558ccdULL);
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, p + i, 8);
    h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 31;
  }
  if (i < n) {
    std::uint64_t w = 0;
    std::memcpy(&w, p + i, n - i);
    h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 31;
  }
  return h ^ (h >> 29);
}

inline std::uint64_t mix64(std::uint64_t x) noexcept {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

/// The first 16 bytes of a key, zero-padded: compared and hashed as two
/// words so short tokens (nearly all of them) need no memcmp.
struct key_prefix {
  std::uint64_t w0 = 0, w1 = 0;
};

inline key_prefix load_prefix(const char *p, std::size_t n) noexcept {
  key_prefix k;
  std::memcpy(&k.w0, p, n < 8 ? n : 8);
  if (n > 8) std::memcpy(&k.w1, p + 8, n < 16 ? n - 8 : 8);
  return k;
}

/// load_prefix() for a buffer with 16 readable bytes at p: two fixed loads.
inline key_prefix load_padded_prefix(const char *p, std::size_t n) noexcept {
  key_prefix k;
  std::memcpy(&k.w0, p, 8);
  std::memcpy(&k.w1, p + 8, 8);
  k.w0 = n >= 8 ? k.w0 : (k.w0 & ((1ULL << (8 * n)) - 1));
  k.w1 = n >= 16 ? k.w1 : n <= 8 ? 0 : (k.w1 & ((1ULL << (8 * (n - 8))) - 1));
  return k;
}

inline std::uint64_t hash_key(const key_prefix &k, const char *p, std::size_t n) noexcept {
  std::uint64_t h = (k.w0 * 0x9E3779B97F4A7C15ULL) ^ (k.w1 * 0xc4ceb9fe1a85ec53ULL) ^ n;
  if (n > 16) h ^= hash_bytes(p + 16, n - 16);
  h ^= h >> 32;
  h *= 0xff51afd7ed558ccdULL;
  return h ^ (h >> 29);
}

/// string → uint32 (0 is reserved for "absent").
class string_table {
public:
  /// Inserts or overwrites. Keys are copied into an arena.
  void put(std::string_view key, std::uint32_t value) {
    if ((size_ + 1) * 2 > slots_.size()) grow();
    insert(key, value);
  }
  [[nodiscard]] std::uint32_t get(const char *p, std::size_t n) const noexcept {
    if (slots_.empty()) return 0;
    const key_prefix k = load_prefix(p, n);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = hash_key(k, p, n) & mask;; i = (i + 1) & mask) {
      const slot &s = slots_[i];
      if (s.value == 0) return 0;
      if (s.len == n && s.key.w0 == k.w0 && s.key.w1 == k.w1 &&
          (n <= 16 || std::memcmp(arena_.data() + s.offset + 16, p + 16, n - 16) == 0))
        return s.value;
    }
  }
  /// As get(), but `p` must have 16 readable bytes (the tokenizer's buffer
  /// guarantees it): the key prefix is two fixed 8-byte loads, masked.
  [[nodiscard]] std::uint32_t get_padded(const char *p, std::size_t n) const noexcept {
    if (n > 16 || slots_.empty()) return get(p, n);
    const key_prefix k = load_padded_prefix(p, n);
    return get_prefixed(k, n, hash_key(k, p, n));
  }
  /// As get_padded() with the prefix and hash already computed (n <= 16).
  [[nodiscard]] std::uint32_t get_prefixed(const key_prefix &k, std::size_t n,
                                           std::uint64_t h) const noexcept {
    if (slots_.empty()) return 0;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
      const slot &s = slots_[i];
      if (s.value == 0) return 0;
      if (s.len == n && s.key.w0 == k.w0 && s.key.w1 == k.w1) return s.value;
    }
  }
  [[nodiscard]] std::uint32_t get(std::string_view k) const noexcept {
    return get(k.data(), k.size());
  }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }

private:
  struct slot {
    key_prefix key;
    std::uint32_t len = 0, value = 0, offset = 0;
  };
  void insert(std::string_view key, std::uint32_t value) {
    const key_prefix k = load_prefix(key.data(), key.size());
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = hash_key(k, key.data(), key.size()) & mask;; i = (i + 1) & mask) {
      slot &s = slots_[i];
      if (s.value == 0) {
        s.key = k;
        s.len = static_cast<std::uint32_t>(key.size());
        s.offset = static_cast<std::uint32_t>(arena_.size());
        s.value = value;
        arena_.append(key.data(), key.size());
        ++size_;
        return;
      }
      if (s.len == key.size() && arena_.compare(s.offset, s.len, key.data(), key.size()) == 0) {
        s.value = value;
        return;
      }
    }
  }
  void grow() {
    std::vector<slot> old;
    old.swap(slots_);
    std::string old_arena;
    old_arena.swap(arena_);
    slots_.assign(old.empty() ? 16 : old.size() * 2, slot{});
    size_ = 0;
    for (const auto &s : old)
      if (s.value) insert(std::string_view(old_arena).substr(s.offset, s.len), s.value);
  }
  std::vector<slot> slots_;
  std::string arena_;
  std::size_t size_ = 0;
};

/// uint64 → uint32 (0 reserved for "absent"); keys must not be ~0.
class int_table {
public:
  void put(std::uint64_t key, std::uint32_t value) {
    if ((size_ + 1) * 2 > slots_.size()) grow();
    insert(key, value);
  }
  [[nodiscard]] std::uint32_t get(std::uint64_t key) const noexcept {
    return get_hashed(key, mix64(key));
  }
  /// As get() with h == mix64(key) already computed.
  [[nodiscard]] std::uint32_t get_hashed(std::uint64_t key, std::uint64_t h) const noexcept {
    if (slots_.empty()) return 0;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
      const slot &s = slots_[i];
      if (s.value == 0) return 0;
      if (s.key == key) return s.value;
    }
  }

private:
  struct slot {
    std::uint64_t key = 0;
    std::uint32_t value = 0;
  };
  void insert(std::uint64_t key, std::uint32_t value) {
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = mix64(key) & mask;; i = (i + 1) & mask) {
      slot &s = slots_[i];
      if (s.value == 0) {
        s = slot{key, value};
        ++size_;
        return;
      }
      if (s.key == key) {
        s.value = value;
        return;
      }
    }
  }
  void grow() {
    std::vector<slot> old;
    old.swap(slots_);
    slots_.assign(old.empty() ? 64 : old.size() * 2, slot{});
    size_ = 0;
    for (const auto &s : old)
      if (s.value) insert(s.key, s.value);
  }
  std::vector<slot> slots_;
  std::size_t size_ = 0;
};

} // namespace triage::detail
VETERAN_NAMESPACE_END
