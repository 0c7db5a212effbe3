// Boost.JSON -> Python objects: see json.hpp.
#include "json.hpp"

namespace veteran::python {

namespace json = boost::json;

py::object to_python(const json::value &v) {
  switch (v.kind()) {
  case json::kind::null:
    return py::none();
  case json::kind::bool_:
    return py::bool_(v.get_bool());
  case json::kind::int64:
    return py::int_(v.get_int64());
  case json::kind::uint64:
    return py::int_(v.get_uint64());
  case json::kind::double_:
    return py::float_(v.get_double());
  case json::kind::string:
    return py::str(v.get_string().data(), v.get_string().size());
  case json::kind::array: {
    py::list out;
    for (const auto &e : v.get_array())
      out.append(to_python(e));
    return std::move(out);
  }
  case json::kind::object: {
    py::dict out;
    for (const auto &kv : v.get_object())
      out[py::str(kv.key().data(), kv.key().size())] = to_python(kv.value());
    return std::move(out);
  }
  }
  return py::none();
}

void python_writer::put(py::object v) {
  if (stack_.empty()) {
    result_ = std::move(v);
    return;
  }
  py::object &top = stack_.back();
  if (PyDict_Check(top.ptr())) {
    PyDict_SetItem(top.ptr(), key_.ptr(), v.ptr());
  } else {
    PyList_Append(top.ptr(), v.ptr());
  }
}

void python_writer::open(py::object container) {
  put(container); // into its parent first (or as the result)
  stack_.push_back(std::move(container));
}

void python_writer::close() { stack_.pop_back(); }

} // namespace veteran::python
