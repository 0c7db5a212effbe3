// The `_veteran` extension module. Errors raised by the SDK become instances of
// the classes in veteran/_errors.py, chosen by error code.
#include "bindings.hpp"

#include "veteran/error.hpp"
#include "veteran/init.hpp"
#include "veteran/version.hpp"

namespace veteran::python {

namespace {
void raise_veteran_error(const veteran::error &e) {
  auto errors = py::module_::import("veteran._errors");
  py::object exc = errors.attr("error_for_code")(static_cast<int>(e.code()), e.what());
  PyErr_SetObject(reinterpret_cast<PyObject *>(Py_TYPE(exc.ptr())), exc.ptr());
}
} // namespace

void bind_core(py::module_ &m) {
  m.attr("__version__") = veteran::version();
  m.def(
      "version", [] { return std::string(veteran::version()); },
      "Version of the linked veteran library.");
  m.def("errc_name", [](int code) {
    return std::string(veteran::errc_name(static_cast<veteran::errc>(code)));
  });
  m.def(
      "error_codes",
      [] {
        py::list out;
#define VETERAN_PY_ERROR_ROW(name, NAME, number, text)                                   \
  out.append(py::make_tuple(number, #name, text));
        VETERAN_ERROR_TABLE(VETERAN_PY_ERROR_ROW)
#undef VETERAN_PY_ERROR_ROW
        return out;
      },
      "Every error code as (number, name, description), from the library's one table.");
  m.def(
      "global_init", [] { veteran::global_init().value(); },
      "Initialise libsodium and libcurl (idempotent, thread-safe).");
  // Test hook: raises the SDK error for `code` from inside C++, so the Python
  // suite can check the translation of every pinned code.
  m.def("_raise_for_test", [](int code) {
    throw veteran::error(static_cast<veteran::errc>(code), "raised for test");
  });
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const veteran::error &e) {
      raise_veteran_error(e);
    }
  });
}

} // namespace veteran::python

PYBIND11_MODULE(_veteran, m) {
  m.doc() = "Compiled core of the veteran SDK (use the `veteran` package).";
  veteran::python::bind_core(m);
  veteran::python::bind_triage(m);
  veteran::python::bind_pii(m);
  veteran::python::bind_signal(m);
  veteran::python::bind_flow(m);
}
