/*
 * veteran/version.h — the one place the SDK version is written (C and C++).
 *
 * CMake parses the three VETERAN_VERSION_* macros below; every other version
 * string (C++, C, Python, CLI, pkg-config, package config) derives from them.
 */
#ifndef VETERAN_VERSION_H
#define VETERAN_VERSION_H

#define VETERAN_VERSION_MAJOR 0
#define VETERAN_VERSION_MINOR 1
#define VETERAN_VERSION_PATCH 0

#define VETERAN_STRINGIFY_DETAIL(x) #x
#define VETERAN_STRINGIFY(x) VETERAN_STRINGIFY_DETAIL(x)
/* "MAJOR.MINOR.PATCH" of the headers, e.g. "0.1.0". */
#define VETERAN_VERSION_STRING                                                                     \
  VETERAN_STRINGIFY(VETERAN_VERSION_MAJOR)                                                         \
  "." VETERAN_STRINGIFY(VETERAN_VERSION_MINOR) "." VETERAN_STRINGIFY(VETERAN_VERSION_PATCH)
/* Single integer for compile-time comparisons: MAJOR*10000 + MINOR*100 + PATCH. */
#define VETERAN_VERSION_NUMBER                                                                     \
  (VETERAN_VERSION_MAJOR * 10000 + VETERAN_VERSION_MINOR * 100 + VETERAN_VERSION_PATCH)

#endif /* VETERAN_VERSION_H */
