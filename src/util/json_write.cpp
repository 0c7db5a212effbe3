// The one JSON writer: see util/json_write.hpp.
#include "util/json_write.hpp"

#include <boost/json/serialize.hpp>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

VETERAN_NAMESPACE_BEGIN
namespace util {

namespace json = boost::json;

void append_json_number(std::string &out, double d) {
  if (!std::isfinite(d)) {
    out += "null";
    return;
  }
  char buf[400]; // fixed notation of the largest double fits in 310 chars
  const auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed);
  std::string_view text(buf, static_cast<std::size_t>(r.ptr - buf));
  out += text;
  if (text.find('.') == std::string_view::npos) out += ".0";
}

namespace {

void write(std::string &out, const json::value &v) {
  switch (v.kind()) {
  case json::kind::null:
    out += "null";
    return;
  case json::kind::bool_:
    out += v.get_bool() ? "true" : "false";
    return;
  case json::kind::int64:
    out += std::to_string(v.get_int64());
    return;
  case json::kind::uint64:
    out += std::to_string(v.get_uint64());
    return;
  case json::kind::double_:
    append_json_number(out, v.get_double());
    return;
  case json::kind::string:
    out += json::serialize(v.get_string());
    return;
  case json::kind::array: {
    out += '[';
    bool first = true;
    for (const auto &e : v.get_array()) {
      if (!first) out += ',';
      first = false;
      write(out, e);
    }
    out += ']';
    return;
  }
  case json::kind::object: {
    out += '{';
    bool first = true;
    for (const auto &kv : v.get_object()) {
      if (!first) out += ',';
      first = false;
      out += json::serialize(kv.key());
      out += ':';
      write(out, kv.value());
    }
    out += '}';
    return;
  }
  }
}

} // namespace

void json_text_writer::comma() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!first_) out_ += ',';
  first_ = false;
}

void json_text_writer::open(char c) {
  comma();
  out_ += c;
  first_ = true;
}

void json_text_writer::close(char c) {
  out_ += c;
  first_ = false;
}

void json_text_writer::key(std::string_view k) {
  comma();
  append_quoted(k);
  out_ += ':';
  after_key_ = true;
}

void json_text_writer::value(std::string_view s) {
  comma();
  append_quoted(s);
}

void json_text_writer::append_quoted(std::string_view s) { append_json_string(out_, s); }

void append_json_string(std::string &out, std::string_view s) {
  // Escaped exactly as Boost.JSON's serializer escapes (a quote, a backslash,
  // control characters; \b \t \n \f \r by name, the rest as \u00xx), but
  // appended in place: serialize() built a temporary string per value (a
  // measurable cost when writing signalling envelopes, bench_signal).
  // esc[c]: 0 copy as is, 'u' as \u00xx, otherwise the letter after '\'.
  static constexpr char esc[] =
      "uuuuuuuubtnufruuuuuuuuuuuuuuuuuu"
      "\0\0\"\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"
      "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\\\0\0\0";
  static constexpr char hex[] = "0123456789abcdef";
  out.reserve(out.size() + s.size() + 2);
  out += '"';
  const char *p = s.data();
  const char *const end = p + s.size();
  const char *run = p; // start of the bytes not yet copied
  for (; p != end; ++p) {
    // Skip 8 plain bytes at a time: a word with no control byte, quote or
    // backslash needs no escaping (exact SWAR tests, no false negatives).
    while (end - p >= 8) {
      std::uint64_t w;
      std::memcpy(&w, p, 8);
      constexpr std::uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
      const std::uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');
      const std::uint64_t special =
          ((w - ones * 0x20) & ~w) | ((q - ones) & ~q) | ((b - ones) & ~b);
      if (special & high) break;
      p += 8;
    }
    if (p == end) break;
    const auto c = static_cast<unsigned char>(*p);
    if (c >= 0x60 || esc[c] == 0) continue;
    out.append(run, static_cast<std::size_t>(p - run));
    run = p + 1;
    if (esc[c] != 'u') {
      const char pair[2] = {'\\', esc[c]};
      out.append(pair, 2);
    } else {
      const char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xF]};
      out.append(u, 6);
    }
  }
  out.append(run, static_cast<std::size_t>(end - run));
  out += '"';
}

void json_text_writer::value(double d) {
  comma();
  append_json_number(out_, d);
}

void json_text_writer::value(bool b) {
  comma();
  out_ += b ? "true" : "false";
}

void json_text_writer::value(std::uint64_t n) {
  comma();
  out_ += std::to_string(n);
}

void json_text_writer::null() {
  comma();
  out_ += "null";
}

void json_text_writer::raw(std::string_view text) {
  comma();
  out_ += text;
}

std::string write_json(const json::value &v) {
  std::string out;
  write(out, v);
  return out;
}

} // namespace util
VETERAN_NAMESPACE_END
