// veteran/version.hpp — the one place the SDK version is written.
//
// CMake parses the three VETERAN_VERSION_* macros below; every other
// version string (C, Python, CLI, pkg-config, package config) derives
// from them. Thread safety: constants and pure functions only.
#pragma once

#define VETERAN_VERSION_MAJOR 0
#define VETERAN_VERSION_MINOR 1
#define VETERAN_VERSION_PATCH 0

#define VETERAN_STRINGIFY_DETAIL(x) #x
#define VETERAN_STRINGIFY(x) VETERAN_STRINGIFY_DETAIL(x)
#define VETERAN_VERSION_STRING                                                 \
  VETERAN_STRINGIFY(VETERAN_VERSION_MAJOR)                                     \
  "." VETERAN_STRINGIFY(VETERAN_VERSION_MINOR) "." VETERAN_STRINGIFY(          \
      VETERAN_VERSION_PATCH)
// Single integer for compile-time comparisons: MAJOR*10000 + MINOR*100 + PATCH.
#define VETERAN_VERSION_NUMBER                                                 \
  (VETERAN_VERSION_MAJOR * 10000 + VETERAN_VERSION_MINOR * 100 +               \
   VETERAN_VERSION_PATCH)

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
