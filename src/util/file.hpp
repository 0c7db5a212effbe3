// Internal: reading a whole file safely (one implementation for key files,
// phrase packs and anything else the SDK reads).
#pragma once

#include <cstddef>
#include <string>

#include "veteran/error.hpp"

VETERAN_NAMESPACE_BEGIN
namespace util {

struct read_file_options {
  /// Larger files are refused with limit_exceeded before anything is read.
  std::size_t max_bytes = std::size_t{16} << 20;
  /// The content is secret (key text): on failure, whatever was read is
  /// wiped before the buffer is freed.
  bool sensitive = false;
  /// Refuse (permission_denied) a file whose mode grants group or others
  /// any access (mode & 077), checked on the open descriptor.
  bool owner_only = false;
};

/// Reads the regular file at `path` whole. A FIFO, socket or device is refused
/// without blocking (the file is opened non-blocking and checked before any
/// read); a directory too. Messages read "<what> <path>: <problem>" ("pack",
/// "key file"); they never contain the file's content.
/// Errors: not_found, io_error (not a regular file, is a directory, cannot
/// open or read), limit_exceeded (larger than max_bytes), permission_denied
/// (owner_only and the file is shared).
[[nodiscard]] result<std::string> read_file(const std::string &path, const char *what,
                                            const read_file_options &options = {});

} // namespace util
VETERAN_NAMESPACE_END
