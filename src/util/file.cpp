// Whole-file reading and writing: see util/file.hpp.
#include "util/file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include <cerrno>
#include <cstdio>

#include "util/random.hpp"

VETERAN_NAMESPACE_BEGIN
namespace util {

namespace {

struct fd_closer {
  int fd;
  ~fd_closer() { ::close(fd); }
};

std::string kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "is a directory";
  if (S_ISFIFO(mode)) return "is a FIFO, not a regular file";
  if (S_ISSOCK(mode)) return "is a socket, not a regular file";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "is a device, not a regular file";
  return "is not a regular file";
}

// Makes a rename or creation in `path`'s directory durable. Best effort: the
// file itself is already synced, and some file systems refuse fsync on a
// directory.
void sync_parent_dir(const std::string &path) noexcept {
  const std::size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "."
                          : slash == 0               ? "/"
                                                     : path.substr(0, slash);
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  (void)::fsync(fd);
  ::close(fd);
}

bool write_all(int fd, std::string_view text) noexcept {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

} // namespace

result<std::string> read_file(const std::string &path, const char *what,
                              const read_file_options &options) {
  const std::string prefix = std::string(what) + " " + path;
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer
  // forever. It changes nothing for a regular file.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) {
    if (errno == ENOENT) return error_info{errc::not_found, prefix + ": file not found"};
    if (errno == EISDIR) return error_info{errc::io_error, prefix + ": is a directory"};
    return error_info{errc::io_error, prefix + ": cannot open file"};
  }
  fd_closer closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0)
    return error_info{errc::io_error, prefix + ": cannot stat file"};
  if (!S_ISREG(st.st_mode))
    return error_info{errc::io_error, prefix + ": " + kind_of(st.st_mode)};
  if (options.owner_only && (st.st_mode & 077) != 0)
    return error_info{errc::permission_denied,
                      prefix + ": is accessible by group or others (chmod 600)"};
  if (static_cast<unsigned long long>(st.st_size) > options.max_bytes)
    return error_info{errc::limit_exceeded, prefix + ": file exceeds " +
                                                std::to_string(options.max_bytes) +
                                                " bytes"};
  std::string text(static_cast<std::size_t>(st.st_size), '\0');
  auto failed = [&](const char *message) -> result<std::string> {
    if (options.sensitive && !text.empty()) sodium_memzero(text.data(), text.size());
    return error_info{errc::io_error, prefix + ": " + message};
  };
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::read(fd, text.data() + done, text.size() - done);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n < 0) return failed("cannot read file");
    if (n == 0) return failed("file shrank while being read");
    done += static_cast<std::size_t>(n);
  }
  return text;
}

result<void> write_file_atomic(const std::string &path, std::string_view text,
                               const char *what, const write_file_options &options) {
  const std::string prefix = std::string(what) + " " + path;
  std::string target = path;
  if (options.overwrite) {
    // A random suffix, not the pid: two threads of one process replacing the
    // same file must not collide on one temporary.
    auto suffix = random_id(12);
    if (!suffix) return suffix.error();
    target = path + ".tmp-" + *suffix;
  }
  const int fd =
      ::open(target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY,
             static_cast<mode_t>(options.mode & 07777));
  if (fd < 0) {
    if (errno == EEXIST && !options.overwrite)
      return error_info{errc::conflict, prefix + ": already exists"};
    return error_info{errc::io_error, prefix + ": cannot create file"};
  }
  const char *problem = nullptr;
  if (!write_all(fd, text))
    problem = "cannot write file";
  else if (::fchmod(fd, static_cast<mode_t>(options.mode & 07777)) != 0 ||
           ::fsync(fd) != 0)
    problem = "cannot finish file";
  if (problem && options.sensitive) (void)::ftruncate(fd, 0);
  if (::close(fd) != 0 && !problem) problem = "cannot finish file";
  if (!problem && options.overwrite && std::rename(target.c_str(), path.c_str()) != 0)
    problem = "cannot replace file";
  if (problem) {
    // We created `target` with O_EXCL: it is ours to remove.
    ::unlink(target.c_str());
    return error_info{errc::io_error, prefix + ": " + problem};
  }
  sync_parent_dir(path);
  return {};
}

} // namespace util
VETERAN_NAMESPACE_END
