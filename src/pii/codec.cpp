// Field codec: XChaCha20-Poly1305 envelopes. See include/veteran/pii/codec.hpp.
//
// Hot-path notes: subkeys, the key-check value and the SipHash context key are
// derived once per key (keyring), so a call costs one random nonce, one
// SipHash of the context, the AEAD itself and a base64url pass. Small values
// use stack buffers; the only heap allocation is the returned string.
#include "veteran/pii/codec.hpp"

#include <boost/json.hpp>
#include <sodium.h>

#include <array>
#include <cstring>
#include <vector>

#include "pii/detail/keyring_impl.hpp"
#include "pii/detail/nonce_source.hpp"
#include "pii/detail/testing.hpp"
#include "util/encoding.hpp"
#include "util/utf8.hpp"

VETERAN_NAMESPACE_BEGIN
namespace pii {

namespace {

using detail::key_entry;

constexpr std::size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;
constexpr std::size_t kKcv = detail::kKcvBytes;
constexpr std::size_t kCtxTag = 4;
constexpr std::size_t kHeaderBytes = kKcv + kCtxTag + kNonceBytes; // before ciphertext
constexpr std::size_t kMinBinary = kHeaderBytes + kTagBytes;       // empty string
// Type trailer of non-string values: kind byte, then 0xFF. 0xFF never occurs
// in UTF-8, so a plaintext ending in 0xFF cannot be a string, and strings
// (the common case) carry no trailer: a 64-byte string stays one ChaCha20
// block. The type is inside the authenticated plaintext either way.
constexpr unsigned char kTrailerMark = 0xFF;
constexpr std::size_t kTrailerBytes = 2;
constexpr std::size_t kMaxKeyId = 32;
constexpr std::string_view kVersion = "vet1";
// AD = "vet1" | u8 id length | id | kcv | ctx tag | context encoding
constexpr std::size_t kMaxAd =
    4 + 1 + kMaxKeyId + kKcv + kCtxTag + 3 * (4 + max_context_bytes);
constexpr std::size_t kStackBinary = 1024;

static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == detail::kSubkeyBytes);
static_assert(crypto_shorthash_KEYBYTES == detail::kCtxKeyBytes);

std::string where(const field_context &ctx) {
  return "field '" + std::string(ctx.table) + "." + std::string(ctx.field) + "'";
}

result<void> check_context(const field_context &ctx) {
  if (ctx.table.empty() || ctx.field.empty() || ctx.record_id.empty())
    return error_info{errc::invalid_argument,
                      "table, field and record id must all be non-empty"};
  if (ctx.table.size() > max_context_bytes || ctx.field.size() > max_context_bytes ||
      ctx.record_id.size() > max_context_bytes)
    return error_info{errc::limit_exceeded,
                      "table, field and record id must each be at most 1024 bytes"};
  return {};
}

void put_u32(unsigned char *p, std::size_t n) noexcept {
  const auto v = static_cast<std::uint32_t>(n);
  p[0] = static_cast<unsigned char>(v);
  p[1] = static_cast<unsigned char>(v >> 8);
  p[2] = static_cast<unsigned char>(v >> 16);
  p[3] = static_cast<unsigned char>(v >> 24);
}

/// The associated data, built in a fixed stack buffer.
struct assoc_data {
  std::array<unsigned char, kMaxAd> buf;
  std::size_t len = 0;
  std::size_t ctx_off = 0; // start of the context encoding
  std::size_t tag_off = 0; // where the ctx tag goes

  void build(std::string_view key_id, const unsigned char *kcv,
             const field_context &ctx) noexcept {
    unsigned char *p = buf.data();
    std::memcpy(p, kVersion.data(), kVersion.size());
    p += kVersion.size();
    *p++ = static_cast<unsigned char>(key_id.size());
    std::memcpy(p, key_id.data(), key_id.size());
    p += key_id.size();
    std::memcpy(p, kcv, kKcv);
    p += kKcv;
    tag_off = static_cast<std::size_t>(p - buf.data());
    p += kCtxTag;
    ctx_off = static_cast<std::size_t>(p - buf.data());
    for (std::string_view part : {ctx.table, ctx.field, ctx.record_id}) {
      put_u32(p, part.size());
      std::memcpy(p + 4, part.data(), part.size());
      p += 4 + part.size();
    }
    len = static_cast<std::size_t>(p - buf.data());
  }
  /// SipHash of the context encoding, truncated: identifies the place a
  /// ciphertext was written for, without revealing it.
  void context_tag(const key_entry &k, unsigned char out[kCtxTag]) const noexcept {
    unsigned char h[crypto_shorthash_BYTES];
    crypto_shorthash(h, buf.data() + ctx_off, len - ctx_off, k.ctx_key());
    std::memcpy(out, h, kCtxTag);
  }
};

/// A scratch buffer on the stack for small values, on the heap otherwise;
/// wiped on destruction because it holds plaintext at some point.
class scratch {
public:
  explicit scratch(std::size_t n) : n_(n) {
    if (n > kStackBinary) heap_.resize(n);
  }
  ~scratch() { sodium_memzero(data(), n_); }
  scratch(const scratch &) = delete;
  scratch &operator=(const scratch &) = delete;
  unsigned char *data() noexcept { return heap_.empty() ? stack_.data() : heap_.data(); }

private:
  std::size_t n_;
  std::array<unsigned char, kStackBinary> stack_;
  std::vector<unsigned char> heap_;
};

/// A syntactically valid envelope, split into its parts (views into input).
struct parsed_envelope {
  std::string_view key_id;
  std::string_view body; // base64url text
  std::size_t binary_len = 0;
};

/// Splits an envelope. With `check_body` false the base64url alphabet is left
/// to the decoder (which validates while decoding, saving a pass).
bool parse(std::string_view text, parsed_envelope &out, bool check_body = true) noexcept {
  if (text.size() < envelope_prefix.size() ||
      text.compare(0, envelope_prefix.size(), envelope_prefix) != 0)
    return false;
  const std::size_t id_start = envelope_prefix.size();
  const std::size_t colon = text.find(':', id_start);
  if (colon == std::string_view::npos) return false;
  out.key_id = text.substr(id_start, colon - id_start);
  if (!valid_key_id(out.key_id)) return false;
  out.body = text.substr(colon + 1);
  out.binary_len = util::b64url_decoded_length(out.body.size());
  if (out.binary_len == static_cast<std::size_t>(-1) || out.binary_len < kMinBinary ||
      out.binary_len > kHeaderBytes + max_value_bytes + kTrailerBytes + kTagBytes)
    return false;
  return !check_body || util::b64url_valid(out.body);
}

result<void> check_value(value_kind kind, std::string_view data) {
  if (data.size() > max_value_bytes)
    return error_info{errc::limit_exceeded, "value exceeds 16 MiB"};
  switch (kind) {
  case value_kind::string:
    if (!util::valid_utf8(data))
      return error_info{errc::invalid_utf8, "string value is not valid UTF-8"};
    return {};
  case value_kind::bytes:
    return {};
  case value_kind::json: {
    boost::system::error_code ec;
    (void)boost::json::parse(boost::json::string_view(data.data(), data.size()), ec);
    if (ec) return error_info{errc::parse_error, "JSON value is not valid JSON"};
    return {};
  }
  }
  return error_info{errc::invalid_argument, "unknown value kind"};
}

result<std::string> seal(const keyring &ring, const field_context &ctx, value_kind kind,
                         std::string_view data, const unsigned char *fixed_nonce) {
  const key_entry *k = keyring_internals::of(ring).active_entry();
  if (!k) return error_info{errc::key_missing, "no key: the key ring is empty"};
  if (auto r = check_context(ctx); !r) return r.error();
  if (auto r = check_value(kind, data); !r) return r.error();

  assoc_data ad;
  ad.build(k->id, k->kcv(), ctx);
  ad.context_tag(*k, ad.buf.data() + ad.tag_off);

  const bool trailer = kind != value_kind::string;
  const std::size_t mlen = data.size() + (trailer ? kTrailerBytes : 0);
  const std::size_t blen = kHeaderBytes + mlen + kTagBytes;
  scratch bin(blen);
  unsigned char *b = bin.data();
  std::memcpy(b, k->kcv(), kKcv);
  std::memcpy(b + kKcv, ad.buf.data() + ad.tag_off, kCtxTag);
  unsigned char *nonce = b + kKcv + kCtxTag;
  if (fixed_nonce)
    std::memcpy(nonce, fixed_nonce, kNonceBytes);
  else
    detail::random_nonce(nonce, kNonceBytes); // random: reveals no write time or order
  unsigned char *m = nonce + kNonceBytes;
  if (!data.empty()) std::memcpy(m, data.data(), data.size());
  if (trailer) {
    m[data.size()] = static_cast<unsigned char>(kind);
    m[data.size() + 1] = kTrailerMark;
  }
  if (crypto_aead_xchacha20poly1305_ietf_encrypt_detached(m, m + mlen, nullptr, m, mlen,
                                                          ad.buf.data(), ad.len, nullptr,
                                                          nonce, k->field_key()) != 0)
    return error_info{errc::crypto_failure, "encryption failed for " + where(ctx)};

  std::string out;
  out.resize(envelope_prefix.size() + k->id.size() + 1 +
             util::b64url_encoded_length(blen));
  char *o = out.data();
  std::memcpy(o, envelope_prefix.data(), envelope_prefix.size());
  o += envelope_prefix.size();
  std::memcpy(o, k->id.data(), k->id.size());
  o += k->id.size();
  *o++ = ':';
  util::b64url_encode(b, blen, o);
  return out;
}

} // namespace

const char *to_string(value_kind kind) noexcept {
  switch (kind) {
  case value_kind::string:
    return "string";
  case value_kind::bytes:
    return "bytes";
  case value_kind::json:
    return "json";
  }
  return "unknown";
}

result<std::string> encrypt(const keyring &ring, const field_context &ctx,
                            value_kind kind, std::string_view data) {
  return seal(ring, ctx, kind, data, nullptr);
}

result<std::string> encrypt_string(const keyring &ring, const field_context &ctx,
                                   std::string_view text) {
  return seal(ring, ctx, value_kind::string, text, nullptr);
}

result<std::string> encrypt_bytes(const keyring &ring, const field_context &ctx,
                                  std::string_view bytes) {
  return seal(ring, ctx, value_kind::bytes, bytes, nullptr);
}

result<std::string> encrypt_json(const keyring &ring, const field_context &ctx,
                                 std::string_view json_text) {
  return seal(ring, ctx, value_kind::json, json_text, nullptr);
}

result<field_value> decrypt(const keyring &ring, const field_context &ctx,
                            std::string_view envelope) {
  parsed_envelope env;
  if (!parse(envelope, env, false))
    return error_info{errc::envelope_malformed,
                      where(ctx) + ": value is not a valid or complete envelope"};
  // Decoding validates the body in the same pass; a malformed body is
  // reported as such before any key is looked at.
  scratch bin(env.binary_len);
  unsigned char *b = bin.data();
  if (!util::b64url_decode(env.body, b))
    return error_info{errc::envelope_malformed,
                      where(ctx) + ": value is not a valid or complete envelope"};
  if (ring.empty()) return error_info{errc::key_missing, "no key: the key ring is empty"};
  const key_entry *k = keyring_internals::of(ring).find(env.key_id);
  if (!k)
    return error_info{errc::key_unknown, where(ctx) + ": envelope key id '" +
                                             std::string(env.key_id) +
                                             "' is not in the key ring"};
  if (auto r = check_context(ctx); !r) return r.error();
  if (sodium_memcmp(b, k->kcv(), kKcv) != 0)
    return error_info{errc::key_wrong,
                      where(ctx) + ": key '" + k->id +
                          "' does not match the key this envelope was written with"};
  assoc_data ad;
  ad.build(k->id, k->kcv(), ctx);
  std::memcpy(ad.buf.data() + ad.tag_off, b + kKcv, kCtxTag);

  const unsigned char *nonce = b + kKcv + kCtxTag;
  unsigned char *c = b + kHeaderBytes;
  const std::size_t mlen = env.binary_len - kHeaderBytes - kTagBytes;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt_detached(c, nullptr, c, mlen, c + mlen,
                                                          ad.buf.data(), ad.len, nonce,
                                                          k->field_key()) != 0) {
    // Authentication failed. Only now compute the expected context tag, to
    // tell "moved here from elsewhere" from "modified". Both fail closed.
    unsigned char expected[kCtxTag];
    ad.context_tag(*k, expected);
    if (sodium_memcmp(expected, b + kKcv, kCtxTag) != 0)
      return error_info{errc::context_mismatch,
                        where(ctx) +
                            ": envelope belongs to another table, field or record"};
    return error_info{errc::ciphertext_tampered,
                      where(ctx) +
                          ": envelope failed authentication (modified or truncated)"};
  }
  auto kind = value_kind::string;
  std::size_t vlen = mlen;
  if (mlen > 0 && c[mlen - 1] == kTrailerMark) {
    kind = mlen >= kTrailerBytes ? static_cast<value_kind>(c[mlen - 2]) : value_kind{};
    if (kind != value_kind::bytes && kind != value_kind::json)
      return error_info{errc::envelope_malformed,
                        where(ctx) + ": envelope has an unknown value type"};
    vlen = mlen - kTrailerBytes;
  }
  field_value out;
  out.kind = kind;
  out.data.assign(reinterpret_cast<const char *>(c), vlen);
  if (kind == value_kind::string && !util::valid_utf8(out.data)) {
    sodium_memzero(out.data.data(), out.data.size());
    return error_info{errc::envelope_malformed,
                      where(ctx) + ": decrypted string is not UTF-8"};
  }
  return out;
}

result<std::string> rewrap(const keyring &ring, const field_context &ctx,
                           std::string_view envelope) {
  auto plain = decrypt(ring, ctx, envelope);
  if (!plain) return plain.error();
  auto out = seal(ring, ctx, plain->kind, plain->data, nullptr);
  sodium_memzero(plain->data.data(), plain->data.size());
  return out;
}

bool is_envelope(std::string_view text) noexcept {
  parsed_envelope env;
  return parse(text, env);
}

result<std::string> envelope_key_id(std::string_view envelope) {
  parsed_envelope env;
  if (!parse(envelope, env))
    return error_info{errc::envelope_malformed,
                      "value is not a valid or complete envelope"};
  return std::string(env.key_id);
}

namespace detail {
result<std::string> encrypt_with_nonce(const keyring &ring, const field_context &ctx,
                                       value_kind kind, std::string_view data,
                                       std::string_view nonce) {
  if (nonce.size() != kNonceBytes)
    return error_info{errc::invalid_argument, "nonce must be exactly 24 bytes"};
  return seal(ring, ctx, kind, data,
              reinterpret_cast<const unsigned char *>(nonce.data()));
}
} // namespace detail

} // namespace pii
VETERAN_NAMESPACE_END
