// Blind index. See include/veteran/pii/blind_index.hpp.
#include "veteran/pii/blind_index.hpp"

#include <sodium.h>

#include <cstring>

#include "pii/detail/keyring_impl.hpp"
#include "pii/detail/text.hpp"
#include "util/encoding.hpp"
#include "util/utf8.hpp"
#include "veteran/pii/phone.hpp"

VETERAN_NAMESPACE_BEGIN
namespace pii {

namespace {

constexpr std::size_t kIndexBytes = blind_index_hex_length / 2;
constexpr std::size_t kMaxValue = 4096;

bool is_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && is_space(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && is_space(s.back()))
    s.remove_suffix(1);
  return s;
}

error_info bad(std::string_view field, const char *rule) {
  return error_info{errc::invalid_argument, "field '" + std::string(field) + "' " + rule};
}

result<std::string> normalise_email(std::string_view value, std::string_view field) {
  const std::string_view s = trim(value);
  const std::size_t at = s.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= s.size() ||
      s.find('@', at + 1) != std::string_view::npos)
    return bad(field, "is not an email address: needs one '@' with text either side");
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (is_space(c)) return bad(field, "is not an email address: contains whitespace");
    out.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c);
  }
  if (!util::valid_utf8(out))
    return error_info{errc::invalid_utf8,
                      "field '" + std::string(field) + "' is not valid UTF-8"};
  return out;
}

} // namespace

const char *to_string(index_kind kind) noexcept {
  switch (kind) {
  case index_kind::exact:
    return "exact";
  case index_kind::phone:
    return "phone";
  case index_kind::email:
    return "email";
  case index_kind::name:
    return "name";
  }
  return "unknown";
}

result<index_kind> parse_index_kind(std::string_view name) {
  for (auto k :
       {index_kind::exact, index_kind::phone, index_kind::email, index_kind::name})
    if (name == to_string(k)) return k;
  return error_info{errc::invalid_argument,
                    "index kind must be one of exact, phone, email, name"};
}

result<std::string> normalise_for_index(index_kind kind, std::string_view value,
                                        std::string_view field) {
  if (value.size() > kMaxValue)
    return error_info{errc::limit_exceeded,
                      "field '" + std::string(field) + "' is longer than 4096 bytes"};
  switch (kind) {
  case index_kind::exact:
    return std::string(value);
  case index_kind::phone:
    return normalise_phone(value, field);
  case index_kind::email:
    return normalise_email(value, field);
  case index_kind::name: {
    if (!util::valid_utf8(value))
      return error_info{errc::invalid_utf8,
                        "field '" + std::string(field) + "' is not valid UTF-8"};
    std::string out = detail::fold_name(value);
    if (out.empty()) return bad(field, "is empty after normalisation");
    return out;
  }
  }
  return error_info{errc::invalid_argument, "unknown index kind"};
}

result<std::string> blind_index(const keyring &ring, std::string_view field,
                                index_kind kind, std::string_view value,
                                std::string_view key_id) {
  const auto &impl = keyring_internals::of(ring);
  if (ring.empty()) return error_info{errc::key_missing, "no key: the key ring is empty"};
  const detail::key_entry *k = key_id.empty() ? impl.active_entry() : impl.find(key_id);
  if (!k) return error_info{errc::key_unknown, "key id is not in the key ring"};
  if (field.empty() || field.size() > 1024)
    return error_info{errc::invalid_argument, "field name must be 1-1024 bytes"};
  auto norm = normalise_for_index(kind, value, field);
  if (!norm) return norm.error();
  unsigned char key[detail::kSubkeyBytes];
  if (!impl.field_index_key(*k, field, key)) {
    sodium_memzero(key, sizeof key);
    sodium_memzero(norm->data(), norm->size());
    return error_info{errc::crypto_failure, "blind index key derivation failed"};
  }
  unsigned char h[kIndexBytes];
  const int rc = crypto_generichash(h, sizeof h,
                                    reinterpret_cast<const unsigned char *>(norm->data()),
                                    norm->size(), key, sizeof key);
  sodium_memzero(key, sizeof key);
  sodium_memzero(norm->data(), norm->size());
  if (rc != 0) return error_info{errc::crypto_failure, "blind index hash failed"};
  return util::hex_encode(h, sizeof h);
}

} // namespace pii
VETERAN_NAMESPACE_END
