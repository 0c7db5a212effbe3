// Shared helpers for the store and flow tests.
#pragma once

#include <doctest/doctest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "veteran/flow/service.hpp"
#include "veteran/store/store.hpp"

namespace flow_test {

struct temp_dir {
  std::string path;
  temp_dir() {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "vet-flow-XXXXXX").string();
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    path = tmpl;
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  [[nodiscard]] std::string file(const char *name) const { return path + "/" + name; }
};

inline std::shared_ptr<veteran::store::store> open_store(const std::string &path,
                                                         bool read_only = false) {
  veteran::store::sqlite_options o;
  o.path = path;
  o.read_only = read_only;
  auto s = veteran::store::open_sqlite(o);
  REQUIRE_MESSAGE(s.ok(), s.message());
  return std::shared_ptr<veteran::store::store>(std::move(*s));
}

inline veteran::flow::actor user(const char *id = "u1") {
  return {id, veteran::flow::role::user};
}
inline veteran::flow::actor staff(const char *id, veteran::flow::role r) {
  return {id, r};
}

/// Asserts the store's invariants hold.
inline void check_ok(veteran::store::store &s) {
  auto rep = s.check();
  REQUIRE_MESSAGE(rep.ok(), rep.message());
  CHECK_MESSAGE(rep->violations.empty(),
                (rep->violations.empty() ? std::string() : rep->violations.front()));
}

} // namespace flow_test
