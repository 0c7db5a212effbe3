// relay_result as JSON text (for hosts, the C API and Python).
#include "util/json_write.hpp"
#include "veteran/signal/codec.hpp"
#include "veteran/signal/relay.hpp"

VETERAN_NAMESPACE_BEGIN
namespace signal {

namespace {
void write_delivery(util::json_text_writer &w, const delivery &d) {
  w.begin_object();
  w.key("to");
  w.value(std::string_view(d.to));
  w.key("msg");
  w.raw(encode(d.msg));
  w.end_object();
}
} // namespace

const char *to_string(issued_kind k) noexcept {
  switch (k) {
  case issued_kind::call:
    return "call";
  case issued_kind::room:
    return "room";
  case issued_kind::request:
    return "request";
  }
  return "unknown";
}

std::string to_json(const relay_result &r) {
  util::json_text_writer w;
  w.begin_object();
  w.key("deliveries");
  w.begin_array();
  for (const auto &d : r.deliveries)
    write_delivery(w, d);
  w.end_array();
  w.key("rejection");
  if (r.rejection)
    write_delivery(w, *r.rejection);
  else
    w.null();
  w.key("issued");
  w.begin_array();
  for (const auto &i : r.issued) {
    w.begin_object();
    w.key("kind");
    w.value(std::string_view(to_string(i.kind)));
    w.key("id");
    w.value(std::string_view(i.id));
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return w.take();
}

} // namespace signal
VETERAN_NAMESPACE_END
