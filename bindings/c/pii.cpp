// extern "C" wrappers for the PII module. Every wrapper goes through guard().
#include "veteran.h"

#include <cstring>
#include <string>

#include "detail/c_api.hpp"
#include "detail/keyring.hpp"
#include "util/secret.hpp"
#include "veteran/init.hpp"
#include "veteran/pii.hpp"

namespace pii = veteran::pii;
namespace util = veteran::util;
using veteran::errc;
using veteran::c_api::guard;
using veteran::c_api::require;
using veteran::c_api::set_error;
using veteran::c_api::write_text;

static_assert(VETERAN_PII_SALT_BYTES == pii::salt_bytes, "salt size");
static_assert(VETERAN_PII_BLIND_INDEX_LENGTH == pii::blind_index_hex_length,
              "index size");
static_assert(VETERAN_PII_STRING == static_cast<int>(pii::value_kind::string) &&
                  VETERAN_PII_BYTES == static_cast<int>(pii::value_kind::bytes) &&
                  VETERAN_PII_JSON == static_cast<int>(pii::value_kind::json),
              "value kinds");

namespace {

// Writes a newly built ring to *out (after every check passed).
int emit(veteran_keyring **out, veteran::result<pii::keyring> r) {
  if (!r) return set_error(r.error());
  *out = new veteran_keyring{std::move(*r)};
  return VETERAN_OK;
}

int ring_arg(const veteran_keyring *ring) { return require(ring, "ring"); }

veteran::result<pii::index_kind> index_kind_from(int kind) {
  switch (kind) {
  case VETERAN_PII_INDEX_EXACT:
    return pii::index_kind::exact;
  case VETERAN_PII_INDEX_PHONE:
    return pii::index_kind::phone;
  case VETERAN_PII_INDEX_EMAIL:
    return pii::index_kind::email;
  case VETERAN_PII_INDEX_NAME:
    return pii::index_kind::name;
  default:
    return veteran::error_info{errc::invalid_argument,
                               "index_kind is not a VETERAN_PII_INDEX_* value"};
  }
}

int context_args(const char *table, const char *field, const char *record_id) {
  if (int rc = require(table, "table")) return rc;
  if (int rc = require(field, "field")) return rc;
  return require(record_id, "record_id");
}

// What decrypt and rewrap check before touching an envelope.
int envelope_args(const veteran_keyring *ring, const char *table, const char *field,
                  const char *record_id, const char *envelope) {
  if (int rc = ring_arg(ring)) return rc;
  if (int rc = context_args(table, field, record_id)) return rc;
  return require(envelope, "envelope");
}

} // namespace

extern "C" {

size_t veteran_pii_salt_bytes(void) { return pii::salt_bytes; }
size_t veteran_pii_blind_index_length(void) { return pii::blind_index_hex_length; }

int veteran_keyring_generate(veteran_keyring **out, const char *key_id) {
  return guard([&]() -> int {
    if (int rc = require(out, "out")) return rc;
    *out = nullptr;
    return emit(out, pii::keyring::generate(key_id ? key_id : ""));
  });
}

int veteran_keyring_from_file(veteran_keyring **out, const char *path,
                              const char *passphrase) {
  return guard([&]() -> int {
    if (int rc = require(out, "out")) return rc;
    *out = nullptr;
    if (int rc = require(path, "path")) return rc;
    return emit(out, pii::keyring::from_file(path, passphrase ? passphrase : ""));
  });
}

int veteran_keyring_from_env(veteran_keyring **out, const char *variable) {
  return guard([&]() -> int {
    if (int rc = require(out, "out")) return rc;
    *out = nullptr;
    return emit(out, pii::keyring::from_env(variable ? variable : pii::default_key_env));
  });
}

int veteran_keyring_from_passphrase(veteran_keyring **out, const char *key_id,
                                    const char *passphrase, const unsigned char *salt,
                                    size_t salt_len) {
  return guard([&]() -> int {
    if (int rc = require(out, "out")) return rc;
    *out = nullptr;
    if (int rc = require(key_id, "key_id")) return rc;
    if (int rc = require(passphrase, "passphrase")) return rc;
    if (int rc = require(salt, "salt")) return rc;
    return emit(out,
                pii::keyring::from_passphrase(
                    key_id, passphrase,
                    std::string_view(reinterpret_cast<const char *>(salt), salt_len)));
  });
}

int veteran_pii_random_salt(unsigned char *salt, size_t salt_len) {
  return guard([&]() -> int {
    if (int rc = require(salt, "salt")) return rc;
    if (salt_len != pii::salt_bytes)
      return set_error(errc::invalid_argument, "salt_len must be VETERAN_PII_SALT_BYTES");
    const std::string s = pii::keyring::random_salt();
    std::memcpy(salt, s.data(), s.size());
    return VETERAN_OK;
  });
}

int veteran_keyring_rotate(veteran_keyring *ring, const char *key_id) {
  return guard([&]() -> int {
    if (int rc = ring_arg(ring)) return rc;
    if (int rc = require(key_id, "key_id")) return rc;
    auto r = ring->ring.add_generated_key(key_id, true);
    return r ? VETERAN_OK : set_error(r.error());
  });
}

int veteran_keyring_save(const veteran_keyring *ring, const char *path, int overwrite) {
  return guard([&]() -> int {
    if (int rc = ring_arg(ring)) return rc;
    if (int rc = require(path, "path")) return rc;
    auto r = ring->ring.save(path, overwrite != 0);
    return r ? VETERAN_OK : set_error(r.error());
  });
}

int veteran_keyring_active_id(char *buf, size_t cap, size_t *out_len,
                              const veteran_keyring *ring) {
  return guard([&]() -> int {
    if (int rc = ring_arg(ring)) return rc;
    return write_text(ring->ring.active_id(), buf, cap, out_len);
  });
}

void veteran_keyring_free(veteran_keyring *ring) { delete ring; }

int veteran_pii_encrypt(char *buf, size_t cap, size_t *out_len,
                        const veteran_keyring *ring, const char *table, const char *field,
                        const char *record_id, int kind, const void *value,
                        size_t value_len) {
  return guard([&]() -> int {
    if (int rc = ring_arg(ring)) return rc;
    if (int rc = context_args(table, field, record_id)) return rc;
    if (!value && value_len) return require(value, "value");
    if (kind < VETERAN_PII_STRING || kind > VETERAN_PII_JSON)
      return set_error(errc::invalid_argument, "kind is not a VETERAN_PII_* value kind");
    auto r = pii::encrypt(
        ring->ring, {table, field, record_id}, static_cast<pii::value_kind>(kind),
        std::string_view(static_cast<const char *>(value ? value : ""), value_len));
    if (!r) return set_error(r.error());
    return write_text(*r, buf, cap, out_len);
  });
}

int veteran_pii_decrypt(void *buf, size_t cap, size_t *out_len, int *out_kind,
                        const veteran_keyring *ring, const char *table, const char *field,
                        const char *record_id, const char *envelope) {
  return guard([&]() -> int {
    if (int rc = envelope_args(ring, table, field, record_id, envelope)) return rc;
    auto r = pii::decrypt(ring->ring, {table, field, record_id}, envelope);
    if (!r) return set_error(r.error());
    util::wipe_on_exit guard_plain{r->data};
    const int rc = write_text(r->data, static_cast<char *>(buf), cap, out_len);
    if (rc == VETERAN_OK && out_kind) *out_kind = static_cast<int>(r->kind);
    return rc;
  });
}

int veteran_pii_rewrap(char *buf, size_t cap, size_t *out_len,
                       const veteran_keyring *ring, const char *table, const char *field,
                       const char *record_id, const char *envelope) {
  return guard([&]() -> int {
    if (int rc = envelope_args(ring, table, field, record_id, envelope)) return rc;
    auto r = pii::rewrap(ring->ring, {table, field, record_id}, envelope);
    if (!r) return set_error(r.error());
    return write_text(*r, buf, cap, out_len);
  });
}

int veteran_pii_is_envelope(const char *text) {
  return text && pii::is_envelope(text) ? 1 : 0;
}

int veteran_pii_blind_index(char *buf, size_t cap, size_t *out_len,
                            const veteran_keyring *ring, const char *field,
                            int index_kind, const char *value) {
  return guard([&]() -> int {
    if (int rc = ring_arg(ring)) return rc;
    if (int rc = require(field, "field")) return rc;
    if (int rc = require(value, "value")) return rc;
    auto kind = index_kind_from(index_kind);
    if (!kind) return set_error(kind.error());
    auto r = pii::blind_index(ring->ring, field, *kind, value);
    if (!r) return set_error(r.error());
    return write_text(*r, buf, cap, out_len);
  });
}

int veteran_pii_redact(char *buf, size_t cap, size_t *out_len, const char *text,
                       size_t text_len, const veteran_keyring *pseudonym_ring) {
  return guard([&]() -> int {
    if (!text && text_len) return require(text, "text");
    const std::string_view in(text ? text : "", text_len);
    auto r = pseudonym_ring ? pii::redact_pseudonymise(in, pseudonym_ring->ring)
                            : pii::redact(in);
    if (!r) return set_error(r.error());
    return write_text(pii::to_json(*r), buf, cap, out_len);
  });
}

int veteran_pii_normalise_phone(char *buf, size_t cap, size_t *out_len, const char *input,
                                const char *field_name) {
  return guard([&]() -> int {
    if (int rc = require(input, "input")) return rc;
    auto r = pii::normalise_phone(input, field_name ? field_name : "phone");
    if (!r) return set_error(r.error());
    return write_text(*r, buf, cap, out_len);
  });
}

} // extern "C"
