#include "veteran/error.hpp"

VETERAN_NAMESPACE_BEGIN

namespace {
struct errc_text {
  errc code;
  const char *name;
  const char *description;
};

// One row per code; the single source for names and descriptions.
constexpr errc_text kErrcTable[] = {
    {errc::ok, "ok", "success"},
    {errc::invalid_argument, "invalid_argument", "invalid argument"},
    {errc::limit_exceeded, "limit_exceeded", "input exceeds a limit"},
    {errc::parse_error, "parse_error", "malformed input"},
    {errc::not_found, "not_found", "not found"},
    {errc::conflict, "conflict", "conflict (already claimed or changed)"},
    {errc::io_error, "io_error", "input/output error"},
    {errc::database_error, "database_error", "database error"},
    {errc::network_error, "network_error", "network error"},
    {errc::internal, "internal", "internal error"},
    {errc::out_of_memory, "out_of_memory", "out of memory"},
    {errc::not_initialized, "not_initialized", "library initialisation failed"},
    {errc::unsupported_version, "unsupported_version", "unsupported format version"},
    {errc::invalid_utf8, "invalid_utf8", "invalid UTF-8"},
    {errc::permission_denied, "permission_denied", "permission denied"},
    {errc::invalid_state, "invalid_state", "not allowed in the current state"},
    {errc::timeout, "timeout", "timed out"},
    {errc::buffer_too_small, "buffer_too_small", "output buffer too small"},
    {errc::pack_invalid, "pack_invalid", "invalid phrase pack"},
    {errc::key_missing, "key_missing", "no key available"},
    {errc::key_unknown, "key_unknown", "unknown key id"},
    {errc::key_wrong, "key_wrong", "key does not match"},
    {errc::ciphertext_tampered, "ciphertext_tampered",
     "ciphertext failed authentication"},
    {errc::envelope_malformed, "envelope_malformed", "malformed or truncated envelope"},
    {errc::context_mismatch, "context_mismatch",
     "ciphertext belongs to another table, field or record"},
    {errc::crypto_failure, "crypto_failure", "cryptographic library failure"},
    {errc::signal_invalid, "signal_invalid", "invalid signalling message"},
};

const errc_text *find(errc code) noexcept {
  for (const auto &row : kErrcTable)
    if (row.code == code) return &row;
  return nullptr;
}
} // namespace

const char *errc_name(errc code) noexcept {
  const auto *row = find(code);
  return row ? row->name : "unknown";
}

const char *errc_description(errc code) noexcept {
  const auto *row = find(code);
  return row ? row->description : "unknown error";
}

VETERAN_NAMESPACE_END
