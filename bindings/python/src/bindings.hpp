// Internal to the Python extension: one bind_* function per SDK module, all
// called from module.cpp.
#pragma once

#include <pybind11/pybind11.h>

namespace veteran::python {

namespace py = pybind11;

void bind_core(py::module_ &m);
void bind_triage(py::module_ &m);
void bind_pii(py::module_ &m);
void bind_signal(py::module_ &m);
void bind_flow(py::module_ &m);

} // namespace veteran::python
