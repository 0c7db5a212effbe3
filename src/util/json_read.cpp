// Strict JSON reading: see util/json_read.hpp.
#include "util/json_read.hpp"

#include "util/encoding.hpp"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value_stack.hpp>

#include <cstdint>
#include <vector>

VETERAN_NAMESPACE_BEGIN
namespace util {

namespace json = boost::json;

namespace {

// A member name is printed only when it cannot be user text.
bool printable_name(std::string_view name) { return is_id_token(name, 32); }

/// basic_parser handler that builds the document (as Boost.JSON's own parser
/// does, through a value_stack) and, in the same pass, tracks the path and
/// the member names of every open object and stops at the first duplicate.
class duplicate_finder {
public:
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);

  std::string duplicate_message; // set when parsing stopped at a duplicate

  json::value_stack st;

  /// `temp` (may be null) is scratch for the value stack, as json::parse
  /// gives its own parser: small documents then build without extra heap
  /// allocations.
  duplicate_finder(unsigned char *temp, std::size_t size) : st({}, temp, size) {}

  bool on_document_begin(boost::system::error_code &) {
    st.reset();
    return true;
  }
  bool on_document_end(boost::system::error_code &) { return true; }
  bool on_object_begin(boost::system::error_code &) {
    enter_value();
    frames_.push_back(frame{true, {}, {}, 0});
    frames_.back().keys.reserve(16);
    return true;
  }
  bool on_object_end(std::size_t n, boost::system::error_code &) {
    st.push_object(n);
    frames_.pop_back();
    return true;
  }
  bool on_array_begin(boost::system::error_code &) {
    enter_value();
    frames_.push_back(frame{false, {}, {}, 0});
    return true;
  }
  bool on_array_end(std::size_t n, boost::system::error_code &) {
    st.push_array(n);
    frames_.pop_back();
    return true;
  }
  bool on_key_part(json::string_view s, std::size_t, boost::system::error_code &) {
    st.push_chars(s);
    key_.append(s.data(), s.size());
    return true;
  }
  bool on_key(json::string_view s, std::size_t, boost::system::error_code &ec) {
    key_.append(s.data(), s.size());
    frame &f = frames_.back();
    for (const auto &k : f.keys) {
      if (k == key_) {
        duplicate_message =
            "duplicate member " +
            (printable_name(key_) ? "'" + key_ + "'" : std::string("name")) + " at " +
            path();
        ec = json::error::syntax;
        return false;
      }
    }
    st.push_key(s);
    f.keys.push_back(key_);
    f.current = std::move(key_);
    key_.clear();
    return true;
  }
  bool on_string_part(json::string_view s, std::size_t, boost::system::error_code &) {
    st.push_chars(s);
    return true;
  }
  bool on_string(json::string_view s, std::size_t, boost::system::error_code &) {
    st.push_string(s);
    return scalar();
  }
  bool on_number_part(json::string_view, boost::system::error_code &) { return true; }
  bool on_int64(std::int64_t i, json::string_view, boost::system::error_code &) {
    st.push_int64(i);
    return scalar();
  }
  bool on_uint64(std::uint64_t u, json::string_view, boost::system::error_code &) {
    st.push_uint64(u);
    return scalar();
  }
  bool on_double(double d, json::string_view, boost::system::error_code &) {
    st.push_double(d);
    return scalar();
  }
  bool on_bool(bool b, boost::system::error_code &) {
    st.push_bool(b);
    return scalar();
  }
  bool on_null(boost::system::error_code &) {
    st.push_null();
    return scalar();
  }
  bool on_comment_part(json::string_view, boost::system::error_code &) { return true; }
  bool on_comment(json::string_view, boost::system::error_code &) { return true; }

private:
  struct frame {
    bool object;
    std::vector<std::string> keys;
    std::string current;
    std::size_t index;
  };

  // A value begins inside the innermost container: arrays count elements.
  void enter_value() {
    if (!frames_.empty() && !frames_.back().object) ++frames_.back().index;
  }
  bool scalar() {
    enter_value();
    return true;
  }
  std::string path() const {
    std::string p = "$";
    for (const auto &f : frames_) {
      if (f.object) {
        if (&f == &frames_.back()) break; // the duplicate is a member of the last one
        p += printable_name(f.current) ? "." + f.current : std::string(".?");
      } else {
        p += "[" + std::to_string(f.index - 1) + "]";
      }
    }
    return p;
  }

  std::vector<frame> frames_;
  std::string key_;
};

json::parse_options boost_options(const json_read_options &o) {
  json::parse_options p;
  p.max_depth = o.max_depth;
  p.allow_invalid_utf8 = o.allow_invalid_utf8;
  return p;
}

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Value of the 4 hex digits at text[i..i+4) (caller checked they are hex).
unsigned hex4(const std::string &text, std::size_t i) {
  unsigned v = 0;
  for (std::size_t k = i; k < i + 4; ++k) {
    const char c = text[k];
    v = v * 16 + static_cast<unsigned>(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
  }
  return v;
}

// If text[i..] is `\uXXXX` with valid hex, its code unit; otherwise -1.
long escape_at(const std::string &text, std::size_t i) {
  if (i + 6 > text.size() || text[i] != '\\' || text[i + 1] != 'u') return -1;
  for (std::size_t k = i + 2; k < i + 6; ++k)
    if (!is_hex(text[k])) return -1;
  return static_cast<long>(hex4(text, i + 2));
}

} // namespace

void replace_lone_surrogate_escapes(std::string &text) noexcept {
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (!in_string) {
      in_string = c == '"';
      continue;
    }
    if (c == '"') {
      in_string = false;
      continue;
    }
    if (c != '\\') continue;
    const long unit = escape_at(text, i);
    if (unit < 0) {
      ++i; // skip the escaped character (\\, \", \n, ...)
      continue;
    }
    const bool high = unit >= 0xD800 && unit <= 0xDBFF;
    const bool low = unit >= 0xDC00 && unit <= 0xDFFF;
    if (high) {
      const long next = escape_at(text, i + 6);
      if (next >= 0xDC00 && next <= 0xDFFF) {
        i += 11; // a proper pair: keep both
        continue;
      }
    }
    if (high || low) text.replace(i + 2, 4, "FFFD");
    i += 5;
  }
}

result<json::value> parse_strict(std::string_view text, std::string_view what,
                                 const json_read_options &options) {
  std::string repaired;
  if (options.replace_lone_surrogates) {
    repaired.assign(text);
    replace_lone_surrogate_escapes(repaired);
    text = repaired;
  }
  const std::string prefix(what);
  // One pass: the handler builds the value while it looks for duplicates.
  unsigned char temp[4096];
  json::basic_parser<duplicate_finder> checker(boost_options(options), temp, sizeof temp);
  boost::system::error_code ec;
  const std::size_t used = checker.write_some(false, text.data(), text.size(), ec);
  if (!ec && used < text.size()) ec = json::error::extra_data; // as json::parse
  if (!checker.handler().duplicate_message.empty())
    return error_info{errc::parse_error,
                      prefix + ": " + checker.handler().duplicate_message};
  if (ec) {
    if (ec == json::error::too_deep)
      return error_info{errc::parse_error, prefix + ": nested deeper than " +
                                               std::to_string(options.max_depth) +
                                               " levels"};
    return error_info{errc::parse_error, prefix + ": invalid JSON at byte " +
                                             std::to_string(used) + " (" + ec.message() +
                                             ")"};
  }
  return checker.handler().st.release();
}

namespace {
std::string quoted(std::string_view key) { return "\"" + std::string(key) + "\""; }
} // namespace

json_object_reader::json_object_reader(const json::value &v, std::string where, errc code)
    : object_(v.if_object()), where_(std::move(where)), code_(code) {
  if (!object_) fail("must be an object");
}

void json_object_reader::fail(const std::string &what) const {
  throw veteran::error(code_, where_ + ": " + what);
}

void json_object_reader::allow_only(
    std::initializer_list<std::string_view> allowed) const {
  for (const auto &kv : *object_) {
    bool ok = false;
    for (auto a : allowed)
      ok = ok || kv.key() == a;
    if (!ok)
      fail("unknown key " + (printable_name(kv.key()) ? quoted(kv.key()) : "name"));
  }
}

const json::value *json_object_reader::find(std::string_view key) const {
  return object_->if_contains(json::string_view(key.data(), key.size()));
}

std::string json_object_reader::string(std::string_view key) const {
  const auto *v = find(key);
  if (!v) fail("missing " + quoted(key));
  if (!v->is_string()) fail(quoted(key) + " must be a string");
  return std::string(v->get_string());
}

std::string json_object_reader::string_or(std::string_view key,
                                          std::string fallback) const {
  const auto *v = find(key);
  return v && !v->is_null() ? string(key) : std::move(fallback);
}

double json_object_reader::number(std::string_view key) const {
  const auto *v = find(key);
  if (!v) fail("missing " + quoted(key));
  if (v->is_double()) return v->get_double();
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  if (v->is_uint64()) return static_cast<double>(v->get_uint64());
  fail(quoted(key) + " must be a number");
}

std::int64_t json_object_reader::integer(std::string_view key, std::int64_t min,
                                         std::int64_t max) const {
  const auto *v = find(key);
  if (!v) fail("missing " + quoted(key));
  if (v->is_int64() && v->get_int64() >= min && v->get_int64() <= max)
    return v->get_int64();
  if (v->is_uint64() && max >= 0 && v->get_uint64() <= static_cast<std::uint64_t>(max) &&
      static_cast<std::int64_t>(v->get_uint64()) >= min)
    return static_cast<std::int64_t>(v->get_uint64());
  fail(quoted(key) + " must be an integer from " + std::to_string(min) + " to " +
       std::to_string(max));
}

const json::array &json_object_reader::array(std::string_view key) const {
  const auto *a = optional_array(key);
  if (!a) fail("missing " + quoted(key));
  return *a;
}

const json::array *json_object_reader::optional_array(std::string_view key) const {
  const auto *v = find(key);
  if (!v) return nullptr;
  if (!v->is_array()) fail(quoted(key) + " must be a list");
  return &v->get_array();
}

} // namespace util
VETERAN_NAMESPACE_END
