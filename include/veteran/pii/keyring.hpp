// veteran/pii/keyring.hpp — master keys with ids, one of them active.
//
// A key ring holds 32-byte master keys, each named by a key id. Exactly one
// key is *active*: new envelopes and blind indexes use it; any key in the ring
// can decrypt. Purpose subkeys (field encryption, key-check value, context
// tag, blind index per field, redaction pseudonyms) are derived once with
// libsodium's KDF (BLAKE2b) when a key is added, so the hot path never derives.
//
// Key bytes live in `sodium_malloc` memory (guard pages, mlock'ed where the
// OS allows) and are wiped with `sodium_memzero` when the ring is destroyed.
// Nothing here ever prints key material: `to_string()` and `operator<<` show
// `<redacted>`, and error messages name the key id or file, never key bytes.
//
// Key file format (JSON, documented in docs/pii.md):
//   {"format": "veteran-keyring", "version": 1, "active": "k1",
//    "keys": [{"id": "k1", "key": "<base64, 32 bytes>"},
//             {"id": "k2", "kdf": "argon2id13", "salt": "<base64, 16 bytes>",
//              "opslimit": 2, "memlimit": 67108864,
//              "check": "<base64, 16 bytes>"}]}
// A "kdf" entry stores no key: the key is derived from a passphrase with
// Argon2id and that entry's random salt when the file is loaded. Its "check"
// (a KDF output of the derived key under its own context, unrelated to the
// envelope kcv) makes a mistyped passphrase fail the load with key_wrong.
// Entries written before "check" existed load without the test; save()
// writes it. Duplicate member names anywhere in the file are a parse_error.
//
// Key ids: 1-32 characters from [A-Za-z0-9_-] (they appear in envelopes).
//
// Thread safety: const member functions may be called concurrently from any
// number of threads (an internal mutex guards the per-field key cache).
// Non-const members (add_key, set_active, ...) need exclusive access.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "veteran/error.hpp"

VETERAN_NAMESPACE_BEGIN
namespace pii {

/// Size of a master key in bytes.
inline constexpr std::size_t key_bytes = 32;
/// Size of an Argon2id salt in bytes.
inline constexpr std::size_t salt_bytes = 16;
/// Default name of the environment variable read by keyring::from_env.
inline constexpr const char *default_key_env = "VETERAN_PII_KEYS";

/// Argon2id cost parameters. The defaults are libsodium's "interactive"
/// limits (ops 2, 64 MiB); raise them for key files that are rarely opened.
struct passphrase_params {
  unsigned long long opslimit = 2;
  std::size_t memlimit = 64u * 1024u * 1024u;
};

/// Options of keyring::from_file.
struct load_options {
  /// Refuse (errc::permission_denied) a key file whose mode grants any
  /// access to group or others (mode & 077). Off by default; the CLI warns
  /// about such files and refuses them with --strict-perms.
  bool strict_permissions = false;
};

/// The key ring. Move-only; owns its key memory.
class keyring {
public:
  /// An empty ring: every encrypt/decrypt fails with errc::key_missing.
  keyring();
  ~keyring();
  keyring(keyring &&) noexcept;
  keyring &operator=(keyring &&) noexcept;
  keyring(const keyring &) = delete;
  keyring &operator=(const keyring &) = delete;

  /// A ring with one fresh random key (the active one). `key_id` empty picks
  /// a random id "k" + 8 hex digits.
  /// Errors: invalid_argument (bad id), not_initialized, out_of_memory.
  [[nodiscard]] static result<keyring> generate(std::string_view key_id = {});

  /// Loads a key file (see the format above). `passphrase` is needed only if
  /// the file has "kdf" entries; without it they fail with key_missing.
  /// The file must be a regular file (a FIFO, device or directory is refused
  /// with io_error without blocking) of at most 1 MiB (limit_exceeded).
  /// Errors: not_found / io_error (file), parse_error (JSON, base64, fields,
  /// duplicate member names; message names the entry index and field),
  /// key_missing (no keys, or a passphrase entry and no passphrase),
  /// key_wrong (the passphrase does not match an entry's "check"; message
  /// names the key id, never the passphrase), invalid_argument.
  [[nodiscard]] static result<keyring> from_file(const std::string &path,
                                                 std::string_view passphrase = {});
  /// As above with options; additionally permission_denied when
  /// options.strict_permissions and the file is accessible by group/others.
  [[nodiscard]] static result<keyring> from_file(const std::string &path,
                                                 std::string_view passphrase,
                                                 const load_options &options);
  /// As from_file, from the JSON text itself.
  [[nodiscard]] static result<keyring> from_json(std::string_view json,
                                                 std::string_view passphrase = {});

  /// Reads keys from an environment variable: `id:base64key[,id:base64key...]`
  /// (the first entry is active) or a bare base64 key (id "env").
  /// Errors: key_missing (variable unset or empty), parse_error (format; the
  /// message names the entry index, never the value), invalid_argument.
  [[nodiscard]] static result<keyring> from_env(const char *variable = default_key_env);

  /// Derives a key from a passphrase with Argon2id and `salt` (salt_bytes
  /// long; pass random_salt()). The salt and params must be stored (save()
  /// does so) to derive the same key again.
  /// Errors: invalid_argument (empty passphrase, bad salt size or id),
  /// crypto_failure (Argon2id failed, e.g. memlimit unavailable).
  [[nodiscard]] static result<keyring> from_passphrase(std::string_view key_id,
                                                       std::string_view passphrase,
                                                       std::string_view salt,
                                                       passphrase_params params = {});

  /// salt_bytes fresh random bytes, for from_passphrase / add_passphrase_key.
  [[nodiscard]] static std::string random_salt();

  /// Adds a key from raw bytes (key_bytes long). The bytes are copied into
  /// locked memory; the caller should wipe its copy.
  /// Errors: invalid_argument (id grammar, size), conflict (id already used).
  [[nodiscard]] result<void> add_key(std::string_view key_id, std::string_view key,
                                     bool make_active = false);
  /// Adds a fresh random key (for rotation). Same errors as add_key.
  [[nodiscard]] result<void> add_generated_key(std::string_view key_id,
                                               bool make_active = true);
  /// Adds a passphrase-derived key (see from_passphrase).
  [[nodiscard]] result<void> add_passphrase_key(std::string_view key_id,
                                                std::string_view passphrase,
                                                std::string_view salt,
                                                passphrase_params params = {},
                                                bool make_active = false);
  /// Makes another key active. Errors: key_unknown.
  [[nodiscard]] result<void> set_active(std::string_view key_id);

  [[nodiscard]] bool empty() const noexcept;
  [[nodiscard]] std::size_t size() const noexcept;
  /// Id of the active key; empty for an empty ring.
  [[nodiscard]] std::string active_id() const;
  [[nodiscard]] std::vector<std::string> key_ids() const;
  [[nodiscard]] bool contains(std::string_view key_id) const noexcept;

  /// Serialises the ring as key-file JSON. Random keys are written in base64
  /// (the text is a secret: it is returned so the caller can store it in a
  /// secret manager); passphrase keys are written as salt + params + check
  /// value only.
  [[nodiscard]] result<std::string> to_json() const;
  /// Writes to_json() to `path` with mode 0600 (created with O_EXCL unless
  /// `overwrite`; an existing file is replaced atomically via rename).
  /// Errors: conflict (exists and !overwrite), io_error, key_missing (empty).
  [[nodiscard]] result<void> save(const std::string &path, bool overwrite = false) const;

  /// "keyring{keys=N, active=ID, material=<redacted>}". Never key bytes.
  [[nodiscard]] std::string to_string() const;

private:
  struct state;                    // keys and derived material (library-internal)
  friend struct keyring_internals; // the library's access to them
  std::unique_ptr<state> impl_;
};

/// Writes keyring::to_string() — never key bytes.
std::ostream &operator<<(std::ostream &out, const keyring &ring);

/// True if `key_id` is a valid key id ([A-Za-z0-9_-]{1,32}).
[[nodiscard]] bool valid_key_id(std::string_view key_id) noexcept;

/// A fresh random key id: "k" + 8 hex digits. Errors: not_initialized.
[[nodiscard]] result<std::string> random_key_id();

/// Overwrites the bytes of `s` with zeros in a way the compiler cannot elide
/// (sodium_memzero), for strings that held a plaintext, passphrase or key
/// text. The string keeps its size. Thread safety: as for any std::string.
void wipe(std::string &s) noexcept;

} // namespace pii
VETERAN_NAMESPACE_END
