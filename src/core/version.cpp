#include "veteran/version.hpp"

VETERAN_NAMESPACE_BEGIN

const char *version() noexcept { return VETERAN_VERSION_STRING; }
int version_major() noexcept { return VETERAN_VERSION_MAJOR; }
int version_minor() noexcept { return VETERAN_VERSION_MINOR; }
int version_patch() noexcept { return VETERAN_VERSION_PATCH; }

VETERAN_NAMESPACE_END
