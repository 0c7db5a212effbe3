// extern "C" wrappers for version, errors and library lifetime.
#include "veteran.h"

#include <cstring>
#include <string>

#include "core/detail/init_refcount.hpp"
#include "detail/c_api.hpp"
#include "veteran/init.hpp"
#include "veteran/version.hpp"

// Every C code is -errc, checked code by code at compile time.
#define VETERAN_CHECK_C_CODE(name, NAME, number, text)                                   \
  static_assert(VETERAN_E_##NAME == veteran::c_api::to_c(veteran::errc::name) &&         \
                    VETERAN_E_##NAME == -(number),                                       \
                "C code of " #name " must equal -errc");
VETERAN_ERROR_TABLE(VETERAN_CHECK_C_CODE)
#undef VETERAN_CHECK_C_CODE

namespace {
struct thread_error {
  int code = VETERAN_OK;
  std::string message;
};
thread_local thread_error t_last;
} // namespace

namespace veteran::c_api {

int set_error(veteran::errc code, const std::string &message) noexcept {
  try {
    t_last.message = message;
  } catch (...) {
    t_last.message.clear(); // keep the code even if the text cannot be stored
  }
  t_last.code = to_c(code);
  return t_last.code;
}

int set_error(const veteran::error_info &info) noexcept {
  return set_error(info.code, info.message);
}

int require(const void *ptr, const char *name) noexcept {
  if (ptr) return 0;
  try {
    return set_error(veteran::errc::invalid_argument,
                     std::string(name) + " must not be NULL");
  } catch (...) {
    return set_error(veteran::errc::invalid_argument, "");
  }
}

int write_text(const std::string &text, char *buf, std::size_t cap,
               std::size_t *out_len) noexcept {
  if (int rc = require(out_len, "out_len")) return rc;
  *out_len = text.size();
  if (!buf || cap < text.size() + 1)
    return set_error(veteran::errc::buffer_too_small,
                     "output buffer too small: need " + std::to_string(text.size() + 1) +
                         " bytes");
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  return VETERAN_OK;
}

} // namespace veteran::c_api

extern "C" {

const char *veteran_version_string(void) { return veteran::version(); }
int veteran_version_major(void) { return veteran::version_major(); }
int veteran_version_minor(void) { return veteran::version_minor(); }
int veteran_version_patch(void) { return veteran::version_patch(); }

const char *veteran_strerror(int code) {
  if (code > 0) return "unknown error";
  return veteran::errc_description(static_cast<veteran::errc>(-code));
}

const char *veteran_error_last(void) { return t_last.message.c_str(); }
int veteran_error_last_code(void) { return t_last.code; }
void veteran_error_clear(void) {
  t_last.code = VETERAN_OK;
  t_last.message.clear();
}

int veteran_global_init(void) {
  return veteran::c_api::guard([] { return veteran::detail::global_acquire(); });
}

int veteran_global_shutdown(void) { return veteran::detail::global_release(); }

} // extern "C"
