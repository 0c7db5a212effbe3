// Internal: the key ring's representation, shared by the codec, blind index
// and redaction. Every secret lives in one secure_buffer per key.
#pragma once

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "pii/detail/secure_buffer.hpp"
#include "veteran/pii/keyring.hpp"

VETERAN_NAMESPACE_BEGIN
namespace pii::detail {

// Sizes of the derived material.
inline constexpr std::size_t kSubkeyBytes = 32;    // XChaCha20 / BLAKE2b keys
inline constexpr std::size_t kCtxKeyBytes = 16;    // SipHash-2-4 key
inline constexpr std::size_t kKcvBytes = 4;        // key-check value in envelopes
inline constexpr std::size_t kFileCheckBytes = 16; // passphrase check in key files

// KDF contexts (8 bytes each, libsodium crypto_kdf) and subkey ids.
inline constexpr char kKdfCtxField[] = "VETFENC1";
inline constexpr char kKdfCtxCheck[] = "VETKCV01";
inline constexpr char kKdfCtxAd[] = "VETFCTX1";
inline constexpr char kKdfCtxIndex[] = "VETBIDX1";
inline constexpr char kKdfCtxPseudonym[] = "VETPSEU1";
inline constexpr char kKdfCtxFileCheck[] = "VETFCHK1";

/// One master key and everything derived from it. Layout of `secrets`:
/// master | field-encryption | blind-index root | pseudonym | ctx (16) | kcv (4)
/// | file check (16)
struct key_entry {
  std::string id;
  secure_buffer secrets;
  bool from_passphrase = false;
  std::string salt; // Argon2id salt (public), when from_passphrase
  passphrase_params params;

  [[nodiscard]] const unsigned char *master() const noexcept { return secrets.data(); }
  [[nodiscard]] const unsigned char *field_key() const noexcept {
    return secrets.data() + 32;
  }
  [[nodiscard]] const unsigned char *index_root() const noexcept {
    return secrets.data() + 64;
  }
  [[nodiscard]] const unsigned char *pseudonym_key() const noexcept {
    return secrets.data() + 96;
  }
  [[nodiscard]] const unsigned char *ctx_key() const noexcept {
    return secrets.data() + 128;
  }
  [[nodiscard]] const unsigned char *kcv() const noexcept { return secrets.data() + 144; }
  /// Key-file check value of a passphrase-derived key (independent of the
  /// envelope kcv: another KDF context, 16 bytes).
  [[nodiscard]] const unsigned char *file_check() const noexcept {
    return secrets.data() + 148;
  }
  static constexpr std::size_t secrets_size = 164;
};

/// A bounded LRU of derived per-field blind-index keys. All keys live in one
/// secure_buffer of `capacity` slots (allocated on first use), so the number
/// of locked allocations does not grow with the number of field names (one
/// sodium_malloc per name used to exhaust the process's memory mappings).
/// Not thread-safe: keyring_impl guards it with a mutex.
class index_key_cache {
public:
  static constexpr std::size_t default_capacity = 256;
  explicit index_key_cache(std::size_t capacity = default_capacity)
      : capacity_(capacity) {}
  /// Copies the cached key of `name` to `out` (kSubkeyBytes) and marks it
  /// most recently used; false if not cached.
  bool get(const std::string &name, unsigned char *out);
  /// Caches `key` under `name`, evicting the least recently used entry when
  /// full. If the slab cannot be allocated the key is simply not cached.
  void put(std::string name, const unsigned char *key) noexcept;
  [[nodiscard]] std::size_t size() const noexcept { return slots_.size(); }

private:
  using list = std::list<std::pair<std::string, std::size_t>>; // name, slot
  std::size_t capacity_;
  secure_buffer slab_;
  list order_; // front = most recently used
  std::unordered_map<std::string, list::iterator> slots_;
};

struct keyring_impl {
  std::vector<std::unique_ptr<key_entry>> keys;
  std::size_t active = static_cast<std::size_t>(-1);

  // Per-field blind-index keys: name = id '\0' field.
  mutable std::mutex cache_mutex;
  mutable index_key_cache index_keys;

  [[nodiscard]] const key_entry *find(std::string_view id) const noexcept {
    for (const auto &k : keys)
      if (k->id == id) return k.get();
    return nullptr;
  }
  [[nodiscard]] const key_entry *active_entry() const noexcept {
    return active < keys.size() ? keys[active].get() : nullptr;
  }
  /// Writes the 32-byte blind-index key of `field` under `entry` to `out`;
  /// false if the KDF failed. Thread-safe (the cache is locked).
  [[nodiscard]] bool field_index_key(const key_entry &entry, std::string_view field,
                                     unsigned char *out) const;
};

} // namespace pii::detail

namespace pii {

/// What a public `keyring` holds.
struct keyring::state : detail::keyring_impl {};

/// The library's access to a key ring's keys (codec, blind index, redaction).
struct keyring_internals {
  [[nodiscard]] static const detail::keyring_impl &of(const keyring &ring) noexcept {
    return *ring.impl_;
  }
};

} // namespace pii
VETERAN_NAMESPACE_END
