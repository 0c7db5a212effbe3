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

inline std::uint64_t hash_key(const key_prefix &k, const char *p,
                              std::size_t n) noexcept {
  std::uint64_t h = (k.w0 * 0x9E3779B97F4A7C15ULL) ^ (k.w1 * 0xc4ceb9fe1a85ec53ULL) ^ n;
  if (n > 16) h ^= hash_bytes(p + 16, n - 16);
  h ^= h >> 32;
  h *= 0xff51afd7ed558ccdULL;
  return h ^ (h >> 29);
}

/// string → uint32 (0 is reserved for "absent"). Two-choice cuckoo hashing:
/// every key sits in one of two slots fixed by its hash, so a lookup reads
/// exactly two slots and compares without a probing loop (no data-dependent
/// branches on the hot path).
class string_table {
public:
  string_table() : slots_(16) {}

  /// Inserts or overwrites. Keys are copied into an arena.
  void put(std::string_view key, std::uint32_t value) {
    const key_prefix k = load_prefix(key.data(), key.size());
    const std::uint64_t h = hash_key(k, key.data(), key.size());
    for (const std::size_t i : {first_slot(h), second_slot(h)})
      if (matches(slots_[i], k, key.data(), key.size())) {
        slots_[i].value = value;
        return;
      }
    slot fresh;
    fresh.key = k;
    fresh.len = static_cast<std::uint32_t>(key.size());
    fresh.offset = static_cast<std::uint32_t>(arena_.size());
    fresh.value = value;
    arena_.append(key.data(), key.size());
    // Keep the load at or below 0.45 (two-choice cuckoo insertion fails
    // near 0.5); rebuild larger when a chain of evictions fails.
    if ((size_ + 1) * 20 > slots_.size() * 9) rebuild(slots_.size() * 2);
    ++size_;
    if (!place(fresh)) rebuild(slots_.size() * 2);
  }
  [[nodiscard]] std::uint32_t get(const char *p, std::size_t n) const noexcept {
    const key_prefix k = load_prefix(p, n);
    const std::uint64_t h = hash_key(k, p, n);
    if (n <= 16) return get_prefixed(k, n, h);
    const slot &x = slots_[first_slot(h)], &y = slots_[second_slot(h)];
    if (matches(x, k, p, n)) return x.value;
    if (matches(y, k, p, n)) return y.value;
    return 0;
  }
  /// As get() with the prefix and hash already computed (n <= 16).
  [[nodiscard]] std::uint32_t get_prefixed(const key_prefix &k, std::size_t n,
                                           std::uint64_t h) const noexcept {
    const slot &x = slots_[first_slot(h)], &y = slots_[second_slot(h)];
    // Empty slots have len 0 and never match (keys are not empty here).
    const bool in_x = (x.len == n) & (x.key.w0 == k.w0) & (x.key.w1 == k.w1);
    const bool in_y = (y.len == n) & (y.key.w0 == k.w0) & (y.key.w1 == k.w1);
    return (x.value & -static_cast<std::uint32_t>(in_x)) |
           (y.value & -static_cast<std::uint32_t>(in_y));
  }
  [[nodiscard]] std::uint32_t get(std::string_view k) const noexcept {
    return get(k.data(), k.size());
  }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }

private:
  struct slot { // 32 bytes: two to a cache line
    key_prefix key;
    std::uint32_t len = 0, value = 0, offset = 0;
  };
  std::uint64_t hash_of(const slot &s) const noexcept {
    return hash_key(s.key, arena_.data() + s.offset, s.len);
  }
  std::size_t first_slot(std::uint64_t h) const noexcept {
    return h & (slots_.size() - 1);
  }
  std::size_t second_slot(std::uint64_t h) const noexcept {
    return ((h ^ (h >> 32)) * 0xD6E8FEB86659FD93ULL >> 32) & (slots_.size() - 1);
  }
  bool matches(const slot &s, const key_prefix &k, const char *p,
               std::size_t n) const noexcept {
    return s.value != 0 && s.len == n && s.key.w0 == k.w0 && s.key.w1 == k.w1 &&
           (n <= 16 || std::memcmp(arena_.data() + s.offset + 16, p + 16, n - 16) == 0);
  }
  /// Cuckoo placement of a key known to be absent; false when a chain of
  /// evictions is too long (the caller rebuilds larger).
  bool place(slot s) {
    std::size_t i = first_slot(hash_of(s));
    for (int kicks = 0; kicks < 256; ++kicks) {
      if (slots_[i].value == 0) {
        slots_[i] = s;
        return true;
      }
      std::swap(s, slots_[i]);
      // The evicted key moves to its other slot.
      const std::uint64_t h = hash_of(s);
      i = i == first_slot(h) ? second_slot(h) : first_slot(h);
    }
    pending_ = s; // still homeless: rebuild() places it
    return false;
  }
  /// Re-places every key (and a homeless one left by place()) in `capacity`
  /// slots, doubling until every chain succeeds.
  void rebuild(std::size_t capacity) {
    std::vector<slot> all;
    for (const auto &s : slots_)
      if (s.value) all.push_back(s);
    if (pending_.value) all.push_back(pending_);
    pending_ = slot{};
    for (;;) {
      slots_.assign(capacity, slot{});
      bool ok = true;
      for (const auto &s : all)
        if (!(ok = place(s))) break;
      if (ok) return;
      pending_ = slot{};
      capacity *= 2;
    }
  }
  std::vector<slot> slots_;
  slot pending_;
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
  [[nodiscard]] std::uint32_t get_hashed(std::uint64_t key,
                                         std::uint64_t h) const noexcept {
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
