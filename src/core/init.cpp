#include "veteran/init.hpp"

#include "core/detail/init_refcount.hpp"

#include <curl/curl.h>
#include <sodium.h>

#include <mutex>

VETERAN_NAMESPACE_BEGIN

namespace {
std::mutex g_mutex;
bool g_initialized = false; // guarded by g_mutex
int g_refcount = 0;         // guarded by g_mutex; C API acquisitions only

// Precondition: g_mutex held.
result<void> init_locked() {
  if (g_initialized) return {};
  // sodium_init() returns 1 when already initialised: fine.
  if (sodium_init() < 0) return {errc::not_initialized, "libsodium failed to initialise"};
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
    return {errc::not_initialized, "libcurl failed to initialise"};
  g_initialized = true;
  return {};
}
} // namespace

result<void> global_init() noexcept {
  std::lock_guard<std::mutex> lock(g_mutex);
  return init_locked();
}

bool global_initialized() noexcept {
  std::lock_guard<std::mutex> lock(g_mutex);
  return g_initialized;
}

namespace detail {
result<int> global_acquire() noexcept {
  std::lock_guard<std::mutex> lock(g_mutex);
  auto r = init_locked();
  if (!r) return r.error();
  return ++g_refcount;
}

int global_release() noexcept {
  std::lock_guard<std::mutex> lock(g_mutex);
  if (g_refcount == 0) return 0; // unbalanced release: ignore, stay usable
  if (--g_refcount == 0 && g_initialized) {
    curl_global_cleanup();
    g_initialized = false; // libsodium needs no teardown
  }
  return g_refcount;
}
} // namespace detail

VETERAN_NAMESPACE_END
