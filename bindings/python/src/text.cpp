// Python str <-> UTF-8: see text.hpp.
#include "text.hpp"

#include "util/utf8.hpp"
#include "veteran/error.hpp"

namespace veteran::python {

namespace {

// Slow path for a str with lone surrogates: walk its code points.
std::string_view with_surrogates(py::handle obj, std::string &storage,
                                 lone_surrogates policy, const char *what) {
  const Py_ssize_t n = PyUnicode_GET_LENGTH(obj.ptr());
  const int kind = PyUnicode_KIND(obj.ptr());
  const void *data = PyUnicode_DATA(obj.ptr());
  storage.clear();
  storage.reserve(static_cast<std::size_t>(n) * 2);
  for (Py_ssize_t i = 0; i < n; ++i) {
    std::uint32_t cp = PyUnicode_READ(kind, data, i);
    if (cp >= 0xD800 && cp <= 0xDFFF) {
      if (policy == lone_surrogates::refuse)
        throw veteran::error(
            errc::invalid_utf8,
            std::string(what) + " has a lone UTF-16 surrogate at index " +
                std::to_string(i) + " (half of a character); it has no UTF-8 form");
      cp = 0xFFFD;
    }
    util::append_utf8(storage, cp);
  }
  return storage;
}

} // namespace

std::string_view utf8_of(py::handle obj, std::string &storage, lone_surrogates policy,
                         const char *what) {
  if (!PyUnicode_Check(obj.ptr()))
    throw py::type_error(std::string(what) + " must be a str, not " +
                         std::string(py::str(py::type::handle_of(obj).attr("__name__"))));
  Py_ssize_t len = 0;
  if (const char *p = PyUnicode_AsUTF8AndSize(obj.ptr(), &len))
    return std::string_view(p, static_cast<std::size_t>(len));
  if (!PyErr_ExceptionMatches(PyExc_UnicodeEncodeError)) throw py::error_already_set();
  PyErr_Clear();
  return with_surrogates(obj, storage, policy, what);
}

str_offsets::str_offsets(std::string_view utf8) {
  bool ascii = true;
  for (unsigned char c : utf8)
    if (c >= 0x80) {
      ascii = false;
      break;
    }
  if (ascii) return;
  index_.resize(utf8.size() + 1);
  std::size_t cp = 0;
  for (std::size_t i = 0; i < utf8.size(); ++i) {
    if ((static_cast<unsigned char>(utf8[i]) & 0xC0) != 0x80) ++cp;
    index_[i] = cp - 1; // the character this byte belongs to
  }
  index_[utf8.size()] = cp;
}

} // namespace veteran::python
