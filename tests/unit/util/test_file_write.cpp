// util::write_file_atomic: mode, O_EXCL, atomic replacement, no leftovers.
#include <doctest/doctest.h>

#include <dirent.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "util/file.hpp"

namespace util = veteran::util;
using veteran::errc;

namespace {

// A fresh private directory, removed with everything in it.
struct temp_dir {
  std::string path;
  temp_dir() {
    std::string tmpl = "/tmp/veteran_util_XXXXXX";
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    path = tmpl;
  }
  ~temp_dir() {
    for (const auto &n : names())
      ::unlink((path + "/" + n).c_str());
    ::rmdir((path + "/sub").c_str());
    ::rmdir(path.c_str());
  }
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    if (DIR *d = ::opendir(path.c_str())) {
      while (const dirent *e = ::readdir(d)) {
        const std::string n = e->d_name;
        if (n != "." && n != "..") out.push_back(n);
      }
      ::closedir(d);
    }
    return out;
  }
  std::string file(const char *name) const { return path + "/" + name; }
};

std::string slurp(const std::string &path) {
  auto r = util::read_file(path, "test");
  REQUIRE(r);
  return *r;
}

unsigned mode_of(const std::string &path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

util::write_file_options overwriting() {
  util::write_file_options o;
  o.overwrite = true;
  return o;
}

} // namespace

TEST_CASE("write_file_atomic creates the file with mode 0600 whatever the umask") {
  temp_dir d;
  const mode_t old = ::umask(0);
  auto r = util::write_file_atomic(d.file("a"), "secret text", "test");
  auto r2 = util::write_file_atomic(d.file("b"), "x", "test", overwriting());
  ::umask(old);
  REQUIRE(r);
  REQUIRE(r2);
  CHECK(slurp(d.file("a")) == "secret text");
  CHECK(mode_of(d.file("a")) == 0600);
  CHECK(mode_of(d.file("b")) == 0600);
  CHECK(d.names().size() == 2);
}

TEST_CASE("write_file_atomic without overwrite refuses an existing file or symlink") {
  temp_dir d;
  REQUIRE(util::write_file_atomic(d.file("a"), "first", "test"));
  auto again = util::write_file_atomic(d.file("a"), "second", "key file");
  CHECK(again.code() == errc::conflict);
  CHECK(again.message() == "key file " + d.file("a") + ": already exists");
  CHECK(again.message().find("second") == std::string::npos);
  CHECK(slurp(d.file("a")) == "first");
  // A dangling symlink is not followed to create its target.
  REQUIRE(::symlink(d.file("target").c_str(), d.file("link").c_str()) == 0);
  CHECK(util::write_file_atomic(d.file("link"), "x", "test").code() == errc::conflict);
  CHECK(::access(d.file("target").c_str(), F_OK) != 0);
}

TEST_CASE("write_file_atomic with overwrite replaces the file and leaves no temporary") {
  temp_dir d;
  REQUIRE(util::write_file_atomic(d.file("a"), "old content", "test"));
  struct stat before {};
  REQUIRE(::stat(d.file("a").c_str(), &before) == 0);
  REQUIRE(util::write_file_atomic(d.file("a"), "new", "test", overwriting()));
  CHECK(slurp(d.file("a")) == "new");
  struct stat after {};
  REQUIRE(::stat(d.file("a").c_str(), &after) == 0);
  CHECK(after.st_ino != before.st_ino); // a new file renamed in, not rewritten
  CHECK(d.names() == std::vector<std::string>{"a"});
  // overwrite also creates a missing file.
  REQUIRE(util::write_file_atomic(d.file("b"), "", "test", overwriting()));
  CHECK(slurp(d.file("b")).empty());
}

TEST_CASE("threads of one process replacing the same file do not collide") {
  // The temporary used to be "<path>.tmp-<pid>": a second thread's O_EXCL
  // open failed while the first was writing.
  temp_dir d;
  const std::string path = d.file("shared");
  constexpr int kThreads = 8, kRounds = 25;
  std::vector<int> failures(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      const std::string text(4096, static_cast<char>('a' + t));
      for (int i = 0; i < kRounds; ++i)
        if (!util::write_file_atomic(path, text, "test", overwriting())) ++failures[t];
    });
  for (auto &th : threads)
    th.join();
  for (int t = 0; t < kThreads; ++t)
    CHECK(failures[t] == 0);
  const std::string last = slurp(path);
  REQUIRE(last.size() == 4096);
  CHECK(last == std::string(4096, last[0])); // one writer's text, whole
  CHECK(d.names() == std::vector<std::string>{"shared"});
}

TEST_CASE("write_file_atomic leaves nothing behind when it fails") {
  temp_dir d;
  SUBCASE("rename fails: the target is a directory") {
    REQUIRE(::mkdir(d.file("sub").c_str(), 0700) == 0);
    auto r = util::write_file_atomic(d.file("sub"), "secret", "key file", overwriting());
    CHECK(r.code() == errc::io_error);
    CHECK(r.message().find("secret") == std::string::npos);
    CHECK(d.names() == std::vector<std::string>{"sub"});
  }
  SUBCASE("directory missing") {
    CHECK(util::write_file_atomic(d.file("no/such"), "x", "test").code() ==
          errc::io_error);
    CHECK(util::write_file_atomic(d.file("no/such"), "x", "test", overwriting()).code() ==
          errc::io_error);
    CHECK(d.names().empty());
  }
  SUBCASE("write fails half way (file size limit)") {
    REQUIRE(util::write_file_atomic(d.file("keep"), "old", "test"));
    rlimit old_limit{};
    REQUIRE(::getrlimit(RLIMIT_FSIZE, &old_limit) == 0);
    auto old_handler = std::signal(SIGXFSZ, SIG_IGN); // EFBIG instead of a signal
    rlimit small = old_limit;
    small.rlim_cur = 16;
    REQUIRE(::setrlimit(RLIMIT_FSIZE, &small) == 0);
    const std::string big(1000, 'k');
    util::write_file_options sensitive;
    sensitive.sensitive = true;
    auto fresh = util::write_file_atomic(d.file("new"), big, "test", sensitive);
    sensitive.overwrite = true;
    auto replace = util::write_file_atomic(d.file("keep"), big, "test", sensitive);
    ::setrlimit(RLIMIT_FSIZE, &old_limit);
    std::signal(SIGXFSZ, old_handler);
    CHECK(fresh.code() == errc::io_error);
    CHECK(replace.code() == errc::io_error);
    CHECK(d.names() == std::vector<std::string>{"keep"}); // no partial, no temporary
    CHECK(slurp(d.file("keep")) == "old");                // unchanged
  }
}
