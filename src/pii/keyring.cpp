// Key ring: loading, deriving, saving. See include/veteran/pii/keyring.hpp.
#include "veteran/pii/keyring.hpp"

#include <boost/json.hpp>
#include <sodium.h>

#include <cstdlib>
#include <cstring>
#include <ostream>

#include "pii/detail/keyring_impl.hpp"
#include "util/encoding.hpp"
#include "util/file.hpp"
#include "util/json_read.hpp"
#include "util/random.hpp"
#include "util/secret.hpp"
#include "veteran/init.hpp"

VETERAN_NAMESPACE_BEGIN
namespace pii {

namespace json = boost::json;
using detail::key_entry;
using detail::secure_buffer;

namespace detail {
bool index_key_cache::get(const std::string &name, unsigned char *out) {
  auto it = slots_.find(name);
  if (it == slots_.end()) return false;
  order_.splice(order_.begin(), order_, it->second);
  std::memcpy(out, slab_.data() + it->second->second * kSubkeyBytes, kSubkeyBytes);
  return true;
}

void index_key_cache::put(std::string name, const unsigned char *key) noexcept {
  try {
    if (capacity_ == 0) return;
    if (!slab_.data()) {
      slab_ = secure_buffer::try_allocate(capacity_ * kSubkeyBytes);
      if (!slab_.data()) return; // not cached; derived again next time
    }
    std::size_t slot;
    if (auto it = slots_.find(name); it != slots_.end()) {
      slot = it->second->second; // another thread derived it meanwhile
      order_.splice(order_.begin(), order_, it->second);
    } else if (slots_.size() < capacity_) {
      slot = slots_.size();
      order_.emplace_front(name, slot);
      slots_.emplace(std::move(name), order_.begin());
    } else {
      auto victim = std::prev(order_.end());
      slot = victim->second;
      slots_.erase(victim->first);
      order_.erase(victim);
      order_.emplace_front(name, slot);
      slots_.emplace(std::move(name), order_.begin());
    }
    std::memcpy(slab_.data() + slot * kSubkeyBytes, key, kSubkeyBytes);
  } catch (...) {
    // Out of memory: the key is derived again next time. Drop the whole
    // cache so no half-updated entry can name a wrong slot.
    slots_.clear();
    order_.clear();
  }
}

bool keyring_impl::field_index_key(const key_entry &entry, std::string_view field,
                                   unsigned char *out) const {
  std::string name = entry.id;
  name.push_back('\0');
  name.append(field);
  {
    std::lock_guard<std::mutex> lock(cache_mutex);
    if (index_keys.get(name, out)) return true;
  }
  // Hash the field name into the 64-bit KDF subkey id: each field gets an
  // independent key, and no list of field names needs to be registered.
  unsigned char h[8];
  crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char *>(field.data()),
                     field.size(), nullptr, 0);
  std::uint64_t subkey_id = 0;
  for (int i = 7; i >= 0; --i)
    subkey_id = (subkey_id << 8) | h[i];
  if (crypto_kdf_derive_from_key(out, kSubkeyBytes, subkey_id, kKdfCtxIndex,
                                 entry.index_root()) != 0)
    return false;
  std::lock_guard<std::mutex> lock(cache_mutex);
  index_keys.put(std::move(name), out);
  return true;
}
} // namespace detail

namespace {

constexpr unsigned long long kMaxOpslimit = 16;
constexpr std::size_t kMaxMemlimit = std::size_t{1} << 30;

error_info secure_oom() {
  return error_info{errc::out_of_memory,
                    "secure (locked) memory allocation failed: too many keys or "
                    "mappings in this process"};
}

result<void> ensure_init() {
  auto r = veteran::global_init();
  if (!r) return r;
  return {};
}

// Derives every purpose subkey from the master key at the start of e.secrets.
// The kcv goes through a 16-byte temporary: 16 is the KDF's minimum output.
bool derive_all(key_entry &e) {
  unsigned char *s = e.secrets.data();
  const unsigned char *master = s;
  unsigned char kcv[16];
  const bool ok =
      crypto_kdf_derive_from_key(s + 32, 32, 1, detail::kKdfCtxField, master) == 0 &&
      crypto_kdf_derive_from_key(s + 64, 32, 1, detail::kKdfCtxIndex, master) == 0 &&
      crypto_kdf_derive_from_key(s + 96, 32, 1, detail::kKdfCtxPseudonym, master) == 0 &&
      crypto_kdf_derive_from_key(s + 128, 16, 1, detail::kKdfCtxAd, master) == 0 &&
      crypto_kdf_derive_from_key(kcv, sizeof kcv, 1, detail::kKdfCtxCheck, master) == 0 &&
      crypto_kdf_derive_from_key(s + 148, detail::kFileCheckBytes, 1,
                                 detail::kKdfCtxFileCheck, master) == 0;
  std::memcpy(s + 144, kcv, detail::kKcvBytes);
  sodium_memzero(kcv, sizeof kcv);
  return ok;
}

result<std::unique_ptr<key_entry>> make_entry(std::string_view id) {
  if (!valid_key_id(id))
    return error_info{errc::invalid_argument,
                      "key id must be 1-32 characters from [A-Za-z0-9_-]"};
  if (auto r = ensure_init(); !r) return r.error();
  auto e = std::make_unique<key_entry>();
  e->id = std::string(id);
  e->secrets = secure_buffer::try_allocate(key_entry::secrets_size);
  if (!e->secrets.data()) return secure_oom();
  return e;
}

result<std::unique_ptr<key_entry>>
entry_from_bytes(std::string_view id, const unsigned char *key, std::size_t n) {
  if (n != key_bytes)
    return error_info{errc::invalid_argument,
                      "key '" + std::string(id) + "' must be exactly 32 bytes"};
  auto e = make_entry(id);
  if (!e) return e.error();
  std::memcpy((*e)->secrets.data(), key, key_bytes);
  if (!derive_all(**e)) return error_info{errc::crypto_failure, "key derivation failed"};
  return std::move(*e);
}

result<std::unique_ptr<key_entry>> entry_from_passphrase(std::string_view id,
                                                         std::string_view passphrase,
                                                         std::string_view salt,
                                                         passphrase_params params) {
  if (passphrase.empty())
    return error_info{errc::invalid_argument, "passphrase must not be empty"};
  if (salt.size() != salt_bytes)
    return error_info{errc::invalid_argument, "salt must be exactly 16 bytes"};
  if (params.opslimit < crypto_pwhash_OPSLIMIT_MIN || params.opslimit > kMaxOpslimit ||
      params.memlimit < crypto_pwhash_MEMLIMIT_MIN || params.memlimit > kMaxMemlimit)
    return error_info{errc::invalid_argument,
                      "Argon2id opslimit must be 1-16 and memlimit 8 KiB-1 GiB"};
  auto e = make_entry(id);
  if (!e) return e.error();
  if (crypto_pwhash((*e)->secrets.data(), key_bytes, passphrase.data(), passphrase.size(),
                    reinterpret_cast<const unsigned char *>(salt.data()), params.opslimit,
                    params.memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0)
    return error_info{errc::crypto_failure,
                      "Argon2id key derivation failed (not enough memory?)"};
  if (!derive_all(**e)) return error_info{errc::crypto_failure, "key derivation failed"};
  (*e)->from_passphrase = true;
  (*e)->salt = std::string(salt);
  (*e)->params = params;
  return std::move(*e);
}

// Decodes standard base64 (with or without padding) into locked memory.
result<secure_buffer> decode_key_base64(std::string_view text, const std::string &what) {
  secure_buffer buf = secure_buffer::try_allocate(64);
  if (!buf.data()) return secure_oom();
  std::size_t len = 0;
  if (!util::base64_decode(text, buf.data(), buf.size(), len,
                           util::base64_padding::optional))
    return error_info{errc::parse_error, what + ": key is not valid base64"};
  if (len != key_bytes)
    return error_info{errc::parse_error, what + ": key must decode to exactly 32 bytes"};
  return buf;
}

result<void> add_entry(detail::keyring_impl &impl, std::unique_ptr<key_entry> e,
                       bool make_active) {
  if (impl.find(e->id))
    return error_info{errc::conflict,
                      "key id '" + e->id + "' is already in the key ring"};
  impl.keys.push_back(std::move(e));
  if (make_active || impl.keys.size() == 1) impl.active = impl.keys.size() - 1;
  return {};
}

/// Decodes standard base64 of exactly `n` bytes into `out` (n + 8 long).
void decode_exact(const util::json_object_reader &o, const char *key, unsigned char *out,
                  std::size_t n) {
  std::string text = o.string(key);
  std::size_t len = 0;
  const bool ok =
      util::base64_decode(text, out, n + 8, len, util::base64_padding::required) &&
      len == n;
  util::wipe(text);
  if (!ok)
    o.fail(std::string("\"") + key + "\" must be base64 of " + std::to_string(n) +
           " bytes");
}

/// Adds keys[index] to `ring`. Throws veteran::error (parse_error naming the
/// entry and member, key_missing, key_wrong, ...); never echoes key text.
void load_entry(keyring &ring, const json::value &v, std::size_t index,
                std::string_view passphrase) {
  const util::json_object_reader o(v, "key file: keys[" + std::to_string(index) + "]");
  o.allow_only({"id", "key", "kdf", "salt", "opslimit", "memlimit", "check"});
  const std::string id = o.string("id");
  if (!valid_key_id(id)) o.fail("\"id\" must be 1-32 characters from [A-Za-z0-9_-]");
  if (o.find("key")) {
    std::string text = o.string("key");
    auto key = decode_key_base64(text, o.where());
    util::wipe(text);
    ring.add_key(id, std::string_view(reinterpret_cast<const char *>(key.value().data()),
                                      key_bytes))
        .value();
    return;
  }
  if (!o.find("kdf")) o.fail("needs \"key\" or \"kdf\"");
  if (o.string("kdf") != "argon2id13") o.fail("\"kdf\" must be \"argon2id13\"");
  std::string salt(salt_bytes + 8, '\0');
  decode_exact(o, "salt", reinterpret_cast<unsigned char *>(salt.data()), salt_bytes);
  salt.resize(salt_bytes);
  const passphrase_params params{
      static_cast<unsigned long long>(o.integer("opslimit", 0, INT64_MAX)),
      static_cast<std::size_t>(o.integer("memlimit", 0, INT64_MAX))};
  // The check value lets a mistyped passphrase be refused here instead of
  // yielding a valid but different key under the same id. Files written
  // before it existed have none: they still load (every envelope is still
  // verified by its kcv, so reads fail closed) and save() adds it.
  unsigned char check[detail::kFileCheckBytes + 8];
  const bool has_check = o.find("check") != nullptr;
  if (has_check) decode_exact(o, "check", check, detail::kFileCheckBytes);
  if (passphrase.empty())
    throw veteran::error(errc::key_missing,
                         o.where() + ": key '" + id +
                             "' is passphrase-derived and no passphrase was given");
  ring.add_passphrase_key(id, passphrase, salt, params).value();
  const key_entry *added = keyring_internals::of(ring).find(id);
  if (has_check &&
      (!added || sodium_memcmp(added->file_check(), check, detail::kFileCheckBytes) != 0))
    throw veteran::error(errc::key_wrong, o.where() +
                                              ": the passphrase does not match key '" +
                                              id + "' (check value differs)");
}

/// Wipes every string in a parsed key file (key text) on every exit path.
struct dom_wiper {
  json::value &doc;
  ~dom_wiper() {
    util::for_each_string(doc,
                          [](json::string &s) { sodium_memzero(s.data(), s.size()); });
  }
};

// Reads straight into one string (no stream buffer copies of key text that
// could not be wiped). Key files are small: more than 1 MiB is refused.
result<std::string> read_key_file(const std::string &path, const load_options &options) {
  util::read_file_options o;
  o.max_bytes = std::size_t{1} << 20;
  o.sensitive = true;
  o.owner_only = options.strict_permissions;
  return util::read_file(path, "key file", o);
}

} // namespace

bool valid_key_id(std::string_view key_id) noexcept {
  return util::is_id_token(key_id, 32);
}

keyring::keyring() : impl_(std::make_unique<state>()) {}
keyring::~keyring() = default;
keyring::keyring(keyring &&) noexcept = default;
keyring &keyring::operator=(keyring &&) noexcept = default;

std::string keyring::random_salt() {
  std::string salt(salt_bytes, '\0');
  if (auto r =
          util::random_bytes(reinterpret_cast<unsigned char *>(salt.data()), salt.size());
      !r)
    throw veteran::error(r.code(), "libsodium initialisation failed");
  return salt;
}

result<std::string> random_key_id() {
  auto hex = util::random_hex(4);
  if (!hex) return hex.error();
  return "k" + *hex;
}

void wipe(std::string &s) noexcept { util::wipe(s); }

result<keyring> keyring::generate(std::string_view key_id) {
  std::string id(key_id);
  if (id.empty()) {
    auto rid = random_key_id();
    if (!rid) return rid.error();
    id = std::move(*rid);
  }
  keyring ring;
  if (auto r = ring.add_generated_key(id, true); !r) return r.error();
  return ring;
}

result<keyring> keyring::from_json(std::string_view text, std::string_view passphrase) {
  if (auto r = ensure_init(); !r) return r.error();
  // Strict: a second "active" or "key" must not silently win.
  auto parsed = util::parse_strict(text, "key file");
  if (!parsed) return parsed.error();
  json::value &doc = *parsed;
  dom_wiper wiper{doc};
  keyring ring;
  const auto err = capture_error([&] {
    const util::json_object_reader o(doc, "key file");
    o.allow_only({"format", "version", "active", "keys"});
    if (o.string("format") != "veteran-keyring")
      o.fail("\"format\" must be \"veteran-keyring\"");
    if (o.integer("version", 0, INT64_MAX) != 1)
      throw veteran::error(errc::unsupported_version, "key file: \"version\" must be 1");
    const auto &keys = o.array("keys");
    if (keys.empty())
      throw veteran::error(errc::key_missing, "key file: \"keys\" is empty");
    const std::string active = o.string("active");
    for (std::size_t i = 0; i < keys.size(); ++i)
      load_entry(ring, keys[i], i, passphrase);
    if (!ring.set_active(active)) o.fail("\"active\" names no key in \"keys\"");
  });
  if (err.code != errc::ok) return err;
  return ring;
}

result<keyring> keyring::from_file(const std::string &path, std::string_view passphrase) {
  return from_file(path, passphrase, load_options{});
}

result<keyring> keyring::from_file(const std::string &path, std::string_view passphrase,
                                   const load_options &options) {
  auto text = read_key_file(path, options);
  if (!text) return text.error();
  auto ring = from_json(*text, passphrase);
  sodium_memzero(text->data(), text->size());
  return ring;
}

result<keyring> keyring::from_env(const char *variable) {
  if (!variable || !*variable)
    return error_info{errc::invalid_argument,
                      "environment variable name must not be empty"};
  if (auto r = ensure_init(); !r) return r.error();
  const char *raw = std::getenv(variable);
  const std::string name(variable);
  if (!raw || !*raw)
    return error_info{errc::key_missing, "environment variable " + name + " is not set"};
  const std::string_view all(raw);
  keyring ring;
  std::size_t index = 0, pos = 0;
  while (pos <= all.size()) {
    const std::size_t comma = std::min(all.find(',', pos), all.size());
    const std::string_view item = all.substr(pos, comma - pos);
    const std::string where = name + " entry " + std::to_string(index);
    const std::size_t colon = item.find(':');
    const bool bare = colon == std::string_view::npos;
    if (bare && all.find(',') != std::string_view::npos)
      return error_info{errc::parse_error, where + ": expected id:base64key"};
    const std::string_view id = bare ? std::string_view("env") : item.substr(0, colon);
    const std::string_view key = bare ? item : item.substr(colon + 1);
    if (!valid_key_id(id))
      return error_info{errc::parse_error,
                        where + ": key id must be 1-32 characters from [A-Za-z0-9_-]"};
    auto buf = decode_key_base64(key, where);
    if (!buf) return buf.error();
    auto r = ring.add_key(
        id, std::string_view(reinterpret_cast<const char *>(buf->data()), key_bytes),
        index == 0);
    if (!r) return r.error();
    ++index;
    pos = comma + 1;
  }
  return ring;
}

result<keyring> keyring::from_passphrase(std::string_view key_id,
                                         std::string_view passphrase,
                                         std::string_view salt,
                                         passphrase_params params) {
  keyring ring;
  if (auto r = ring.add_passphrase_key(key_id, passphrase, salt, params, true); !r)
    return r.error();
  return ring;
}

result<void> keyring::add_key(std::string_view key_id, std::string_view key,
                              bool make_active) {
  auto e = entry_from_bytes(key_id, reinterpret_cast<const unsigned char *>(key.data()),
                            key.size());
  if (!e) return e.error();
  return add_entry(*impl_, std::move(*e), make_active);
}

result<void> keyring::add_generated_key(std::string_view key_id, bool make_active) {
  if (auto r = ensure_init(); !r) return r.error();
  secure_buffer key = secure_buffer::try_allocate(key_bytes);
  if (!key.data()) return secure_oom();
  if (auto r = util::random_bytes(key.data(), key.size()); !r) return r;
  auto e = entry_from_bytes(key_id, key.data(), key.size());
  if (!e) return e.error();
  return add_entry(*impl_, std::move(*e), make_active);
}

result<void> keyring::add_passphrase_key(std::string_view key_id,
                                         std::string_view passphrase,
                                         std::string_view salt, passphrase_params params,
                                         bool make_active) {
  if (impl_->find(key_id))
    return error_info{errc::conflict,
                      "key id '" + std::string(key_id) + "' is already in the key ring"};
  auto e = entry_from_passphrase(key_id, passphrase, salt, params);
  if (!e) return e.error();
  return add_entry(*impl_, std::move(*e), make_active);
}

result<void> keyring::set_active(std::string_view key_id) {
  for (std::size_t i = 0; i < impl_->keys.size(); ++i) {
    if (impl_->keys[i]->id == key_id) {
      impl_->active = i;
      return {};
    }
  }
  return error_info{errc::key_unknown, "key id is not in the key ring"};
}

bool keyring::empty() const noexcept { return impl_->keys.empty(); }
std::size_t keyring::size() const noexcept { return impl_->keys.size(); }

std::string keyring::active_id() const {
  const auto *e = impl_->active_entry();
  return e ? e->id : std::string();
}

std::vector<std::string> keyring::key_ids() const {
  std::vector<std::string> ids;
  for (const auto &k : impl_->keys)
    ids.push_back(k->id);
  return ids;
}

bool keyring::contains(std::string_view key_id) const noexcept {
  return impl_->find(key_id) != nullptr;
}

result<std::string> keyring::to_json() const {
  if (empty()) return error_info{errc::key_missing, "the key ring is empty"};
  std::string out =
      "{\n  \"format\": \"veteran-keyring\",\n  \"version\": 1,\n  \"active\": \"" +
      active_id() + "\",\n  \"keys\": [";
  bool first = true;
  for (const auto &k : impl_->keys) {
    out += first ? "\n    {" : ",\n    {";
    first = false;
    out += "\"id\": \"" + k->id + "\", "; // ids are [A-Za-z0-9_-]: no escaping needed
    if (k->from_passphrase) {
      out += "\"kdf\": \"argon2id13\", \"salt\": \"" +
             util::base64_encode(reinterpret_cast<const unsigned char *>(k->salt.data()),
                                 k->salt.size()) +
             "\", \"opslimit\": " + std::to_string(k->params.opslimit) +
             ", \"memlimit\": " + std::to_string(k->params.memlimit) + ", \"check\": \"" +
             util::base64_encode(k->file_check(), detail::kFileCheckBytes) + "\"}";
    } else {
      std::string key = util::base64_encode(k->master(), key_bytes);
      out += "\"key\": \"" + key + "\"}";
      sodium_memzero(key.data(), key.size());
    }
  }
  out += "\n  ]\n}\n";
  return out;
}

result<void> keyring::save(const std::string &path, bool overwrite) const {
  auto text = to_json();
  if (!text) return text.error();
  util::wipe_on_exit wiper{*text};
  util::write_file_options o;
  o.overwrite = overwrite;
  o.mode = 0600;
  o.sensitive = true;
  auto r = util::write_file_atomic(path, *text, "key file", o);
  if (!r && r.code() == errc::conflict)
    return error_info{errc::conflict,
                      "key file already exists (use --force to replace): " + path};
  return r;
}

std::string keyring::to_string() const {
  return "keyring{keys=" + std::to_string(size()) +
         ", active=" + (empty() ? std::string("none") : active_id()) +
         ", material=<redacted>}";
}

std::ostream &operator<<(std::ostream &out, const keyring &ring) {
  return out << ring.to_string();
}

} // namespace pii
VETERAN_NAMESPACE_END
