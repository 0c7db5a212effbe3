// Wiping secrets: see util/secret.hpp.
#include "util/secret.hpp"

#include <sodium.h>

VETERAN_NAMESPACE_BEGIN
namespace util {

void wipe(std::string &s) noexcept {
  if (!s.empty()) sodium_memzero(s.data(), s.size());
}

} // namespace util
VETERAN_NAMESPACE_END
