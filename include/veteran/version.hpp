// veteran/version.hpp — the SDK version (macros from veteran/version.h, which
// C shares), the C++ ABI namespace and the linked library's version.
// Thread safety: constants and pure functions only.
#pragma once

#include "veteran/version.h"

// Inline ABI namespace: bump when the C++ ABI changes incompatibly so that
// two SDK versions linked into one process cannot silently mix types.
#define VETERAN_ABI_NAMESPACE v0
#define VETERAN_NAMESPACE_BEGIN                                                \
  namespace veteran {                                                          \
  inline namespace VETERAN_ABI_NAMESPACE {
#define VETERAN_NAMESPACE_END                                                  \
  }                                                                            \
  }

VETERAN_NAMESPACE_BEGIN

/// The version of the library actually linked (may differ from the header
/// macros when an application is run against a newer shared library).
/// Returns a pointer to a static, NUL-terminated string such as "0.1.0".
[[nodiscard]] const char *version() noexcept;
[[nodiscard]] int version_major() noexcept;
[[nodiscard]] int version_minor() noexcept;
[[nodiscard]] int version_patch() noexcept;

VETERAN_NAMESPACE_END
