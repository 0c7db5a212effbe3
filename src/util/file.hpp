// Internal: reading and writing a whole file safely (one implementation for
// key files, phrase packs and anything else the SDK reads or writes).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

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

struct write_file_options {
  /// Replace an existing file. The text is written to a temporary file
  /// beside `path` ("<path>.tmp-<random>", created with O_EXCL), synced and
  /// renamed over `path`: a reader or a crash sees the old file or the new
  /// one, never a mix. Without it `path` itself is created with O_EXCL, so
  /// an existing file (or symlink) is refused without a race.
  bool overwrite = false;
  /// Permission bits of the new file, set with fchmod (the umask does not
  /// change them).
  unsigned mode = 0600;
  /// The content is secret (key text): on failure the partly written file
  /// is truncated before it is removed, so no other link or descriptor to it
  /// keeps the bytes. The function never copies `text`; wiping it is the
  /// caller's job.
  bool sensitive = false;
};

/// Writes `text` as the whole content of `path` (see write_file_options),
/// fsyncs it and, best effort, its directory. On any failure nothing is left
/// behind: no temporary, no partial file, and an existing file is unchanged.
/// Messages read "<what> <path>: <problem>" and never contain the content.
/// Errors: conflict (exists and !overwrite), io_error (cannot create, write,
/// sync or rename), not_initialized (no randomness for the temporary name).
/// Thread safety: concurrent calls are safe, also for the same path (each
/// uses its own temporary; the last rename wins).
[[nodiscard]] result<void> write_file_atomic(const std::string &path,
                                             std::string_view text, const char *what,
                                             const write_file_options &options = {});

} // namespace util
VETERAN_NAMESPACE_END
