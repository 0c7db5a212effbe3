// Internal to the Python extension: plain Python objects (dict, list, str,
// int, float, bool, None) from the library's JSON forms — from a Boost.JSON
// value, or built member by member by a writer that the library's field walks
// (e.g. triage/detail/assessment_fields.hpp) drive directly.
#pragma once

#include <boost/json/value.hpp>

#include <cstdint>
#include <string_view>
#include <vector>

#include "bindings.hpp"

namespace veteran::python {

/// The Python form of `v`; object members keep their order.
py::object to_python(const boost::json::value &v);

/// Builds Python objects from writer calls (begin_object, key, value, ...),
/// the same calls util::json_text_writer takes; needs the GIL.
class python_writer {
public:
  void begin_object() { open(py::dict()); }
  void begin_array() { open(py::list()); }
  void end_object() { close(); }
  void end_array() { close(); }
  void key(std::string_view k) { key_ = py::str(k.data(), k.size()); }
  void value(std::string_view s) { put(py::str(s.data(), s.size())); }
  void value(double d) { put(py::float_(d)); }
  void value(bool b) { put(py::bool_(b)); }
  void value(std::uint64_t n) { put(py::int_(n)); }
  void value(std::uint32_t n) { put(py::int_(n)); }
  void null() { put(py::none()); }
  /// The finished outermost object or array.
  [[nodiscard]] py::object result() const { return result_; }

protected:
  void put(py::object v);

private:
  void open(py::object container);
  void close();
  std::vector<py::object> stack_;
  py::object key_, result_;
};

} // namespace veteran::python
