// Internal to the Python extension: Boost.JSON values as plain Python objects
// (dict, list, str, int, float, bool, None), so every record the module
// returns is built from the library's one JSON form of it.
#pragma once

#include <boost/json/value.hpp>

#include "bindings.hpp"

namespace veteran::python {

/// The Python form of `v`; object members keep their order.
py::object to_python(const boost::json::value &v);

} // namespace veteran::python
