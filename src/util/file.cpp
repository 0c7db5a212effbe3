// Whole-file reading: see util/file.hpp.
#include "util/file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include <cerrno>

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

} // namespace util
VETERAN_NAMESPACE_END
