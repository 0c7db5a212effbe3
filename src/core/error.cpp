#include "veteran/error.hpp"

VETERAN_NAMESPACE_BEGIN

const char *errc_name(errc code) noexcept {
  switch (code) {
#define VETERAN_ERRC_NAME(name, NAME, number, text)                                      \
  case errc::name:                                                                       \
    return #name;
    VETERAN_ERROR_TABLE(VETERAN_ERRC_NAME)
#undef VETERAN_ERRC_NAME
  }
  return "unknown";
}

const char *errc_description(errc code) noexcept {
  switch (code) {
#define VETERAN_ERRC_TEXT(name, NAME, number, text)                                      \
  case errc::name:                                                                       \
    return text;
    VETERAN_ERROR_TABLE(VETERAN_ERRC_TEXT)
#undef VETERAN_ERRC_TEXT
  }
  return "unknown error";
}

VETERAN_NAMESPACE_END
