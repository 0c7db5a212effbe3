// Python binding of the signalling module: `_veteran.signal_canonical` and the
// `_Relay` class, wrapped by the pure-Python `veteran.signal` (which turns the
// JSON text into dicts). Inputs are copied into C++ strings under the GIL; the
// work is short, so the GIL is kept.
#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <tuple>

#include "bindings.hpp"
#include "veteran/signal.hpp"

namespace veteran::python {

namespace {

namespace sg = veteran::signal;

sg::role role_of(const std::string &name) {
  auto r = sg::parse_role(name);
  if (!r)
    throw veteran::error(errc::invalid_argument,
                         "role: must be user, peer, counsellor, supervisor or admin");
  return *r;
}

/// A relay owned by one Python object. Not thread-safe (as sg::relay): the
/// Python wrapper documents that callers serialise use of one Relay.
struct py_relay {
  explicit py_relay(sg::relay_options o) : relay(std::move(o)) {}
  sg::relay relay;
};

} // namespace

void bind_signal(py::module_ &m) {
  m.def(
      "signal_canonical",
      [](const std::string &text) {
        sg::codec_error err;
        auto msg = sg::decode(text, err);
        if (!msg) return std::make_tuple(false, msg.message(), err.field);
        return std::make_tuple(true, sg::encode(*msg), std::string());
      },
      "(ok, canonical JSON or the error message, field path) for one envelope.");

  py::class_<py_relay>(m, "_Relay")
      .def(py::init([](std::int64_t ring_timeout_ms, std::int64_t reconnect_grace_ms) {
             sg::relay_options o;
             o.ring_timeout_ms = ring_timeout_ms;
             o.reconnect_grace_ms = reconnect_grace_ms;
             return new py_relay(std::move(o));
           }),
           py::arg("ring_timeout_ms") = 30000, py::arg("reconnect_grace_ms") = 10000)
      .def("connect",
           [](py_relay &r, const std::string &id, const std::string &role,
              std::int64_t now) {
             return sg::to_json(r.relay.connect({id, role_of(role)}, now));
           })
      .def("disconnect",
           [](py_relay &r, const std::string &id, std::int64_t now) {
             return sg::to_json(r.relay.disconnect(id, now));
           })
      .def("handle",
           [](py_relay &r, const std::string &id, const std::string &role,
              const std::string &json, std::int64_t now) {
             return sg::to_json(r.relay.handle({id, role_of(role)}, json, now));
           })
      .def(
          "resume",
          [](py_relay &r, const std::string &id, const std::string &role,
             const std::string &room, const std::string &last_seen, std::int64_t now) {
            return sg::to_json(r.relay.resume({id, role_of(role)}, room, last_seen, now));
          })
      .def("due",
           [](py_relay &r, std::int64_t now) { return sg::to_json(r.relay.due(now)); })
      .def("next_due",
           [](py_relay &r) -> std::optional<std::int64_t> { return r.relay.next_due(); });
}

} // namespace veteran::python
