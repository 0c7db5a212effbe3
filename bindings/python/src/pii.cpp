// Python binding of the PII module: the private `_veteran.pii_*` functions and
// the `_KeyRing` class, wrapped by the pure-Python `veteran.pii`.
//
// Inputs are copied into C++ strings while the GIL is held; batch functions
// then release the GIL for the crypto/scan work and return owned objects.
#include <pybind11/stl.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "bindings.hpp"
#include "keyring.hpp"
#include "text.hpp"
#include "veteran/pii.hpp"

namespace veteran::python {

namespace {

namespace pii = veteran::pii;

py_keyring wrap(veteran::result<pii::keyring> r) {
  return py_keyring{std::make_shared<pii::keyring>(std::move(r).value())};
}

const pii::keyring &ring_of(const py_keyring &k) { return *k.ring; }

py::dict to_dict(std::string_view original, const pii::redaction &r) {
  const str_offsets at(original);
  py::list found;
  for (const auto &s : r.found) {
    py::dict d;
    d["type"] = pii::to_string(s.type);
    d["start"] = at(s.start);
    d["end"] = at(s.end);
    d["start_byte"] = s.start;
    d["end_byte"] = s.end;
    found.append(std::move(d));
  }
  py::dict out;
  out["text"] = r.text;
  out["found"] = std::move(found);
  return out;
}

veteran::result<pii::redaction> redact_one(std::string_view text,
                                           const pii::keyring *ring) {
  return ring ? pii::redact_pseudonymise(text, *ring) : pii::redact(text);
}

pii::value_kind kind_from(int kind) {
  if (kind < 1 || kind > 3)
    throw veteran::error(veteran::errc::invalid_argument, "kind must be 1, 2 or 3");
  return static_cast<pii::value_kind>(kind);
}

} // namespace

void bind_pii(py::module_ &m) {
  py::class_<py_keyring>(m, "_KeyRing")
      .def_static(
          "generate",
          [](const std::string &id) { return wrap(pii::keyring::generate(id)); },
          py::arg("key_id") = "")
      .def_static(
          "from_file",
          [](const std::string &path, const std::string &passphrase) {
            return wrap(pii::keyring::from_file(path, passphrase));
          },
          py::arg("path"), py::arg("passphrase") = "")
      .def_static(
          "from_env",
          [](const std::string &var) {
            return wrap(pii::keyring::from_env(var.c_str()));
          },
          py::arg("variable") = pii::default_key_env)
      .def_static(
          "from_passphrase",
          [](const std::string &id, const std::string &passphrase,
             const py::bytes &salt) {
            return wrap(pii::keyring::from_passphrase(id, passphrase, std::string(salt)));
          },
          py::arg("key_id"), py::arg("passphrase"), py::arg("salt"))
      .def("add_generated_key",
           [](py_keyring &k, const std::string &id, bool make_active) {
             k.ring->add_generated_key(id, make_active).value();
           })
      .def("set_active",
           [](py_keyring &k, const std::string &id) { k.ring->set_active(id).value(); })
      .def_property_readonly("active_id",
                             [](const py_keyring &k) { return k.ring->active_id(); })
      .def_property_readonly("key_ids",
                             [](const py_keyring &k) { return k.ring->key_ids(); })
      .def("save", [](const py_keyring &k, const std::string &path,
                      bool overwrite) { k.ring->save(path, overwrite).value(); })
      .def("__repr__", [](const py_keyring &k) { return k.ring->to_string(); });

  m.def("pii_random_salt", [] { return py::bytes(pii::keyring::random_salt()); });
  m.def("pii_random_key_id", [] { return pii::random_key_id().value(); });

  m.def("pii_encrypt", [](const py_keyring &k, const std::string &table,
                          const std::string &field, const std::string &record_id,
                          int kind, const py::bytes &data) {
    std::string value(data);
    auto r = pii::encrypt(ring_of(k), {table, field, record_id}, kind_from(kind), value);
    pii::wipe(value);
    return std::move(r).value();
  });
  m.def("pii_decrypt",
        [](const py_keyring &k, const std::string &table, const std::string &field,
           const std::string &record_id, const std::string &envelope) {
          auto v = pii::decrypt(ring_of(k), {table, field, record_id}, envelope).value();
          py::tuple out = py::make_tuple(static_cast<int>(v.kind), py::bytes(v.data));
          pii::wipe(v.data);
          return out;
        });
  m.def("pii_rewrap",
        [](const py_keyring &k, const std::string &table, const std::string &field,
           const std::string &record_id, const std::string &envelope) {
          return pii::rewrap(ring_of(k), {table, field, record_id}, envelope).value();
        });
  m.def("pii_is_envelope",
        [](const std::string &text) { return pii::is_envelope(text); });
  m.def("pii_blind_index", [](const py_keyring &k, const std::string &field,
                              const std::string &kind, const std::string &value) {
    return pii::blind_index(ring_of(k), field, pii::parse_index_kind(kind).value(), value)
        .value();
  });
  m.def("pii_normalise_phone", [](const std::string &input, const std::string &field) {
    return pii::normalise_phone(input, field).value();
  });
  m.def(
      "pii_redact",
      [](const py::object &obj, const py_keyring *k) {
        std::string storage;
        const auto text = utf8_of(obj, storage, lone_surrogates::refuse, "text");
        auto r = redact_one(text, k ? k->ring.get() : nullptr).value();
        return to_dict(text, r);
      },
      py::arg("text"), py::arg("keys") = nullptr);

  // Batch functions: inputs were converted to std::vector<std::string> by
  // pybind11 under the GIL (copies), so the work below can run without it.
  m.def(
      "pii_redact_many",
      [](const py::list &items, const py_keyring *k) {
        std::vector<std::string> texts;
        texts.reserve(items.size());
        for (std::size_t i = 0; i < items.size(); ++i) {
          std::string storage;
          const std::string what = "texts[" + std::to_string(i) + "]";
          texts.emplace_back(
              utf8_of(items[i], storage, lone_surrogates::refuse, what.c_str()));
        }
        std::shared_ptr<pii::keyring> hold = k ? k->ring : nullptr;
        std::vector<veteran::result<pii::redaction>> results;
        results.reserve(texts.size());
        {
          py::gil_scoped_release release;
          for (const auto &t : texts)
            results.push_back(redact_one(t, hold.get()));
        }
        py::list out;
        for (std::size_t i = 0; i < texts.size(); ++i)
          out.append(to_dict(texts[i], results[i].value()));
        return out;
      },
      py::arg("texts"), py::arg("keys") = nullptr);
  m.def("pii_encrypt_many", [](const py_keyring &k, const std::string &table,
                               const std::string &field,
                               const std::vector<std::string> &ids, int kind,
                               std::vector<std::string> values) {
    if (ids.size() != values.size())
      throw veteran::error(veteran::errc::invalid_argument,
                           "record_ids and values must have the same length");
    const auto vk = kind_from(kind);
    std::shared_ptr<pii::keyring> hold = k.ring;
    std::vector<veteran::result<std::string>> results;
    results.reserve(values.size());
    {
      py::gil_scoped_release release;
      for (std::size_t i = 0; i < values.size(); ++i) {
        results.push_back(pii::encrypt(*hold, {table, field, ids[i]}, vk, values[i]));
        pii::wipe(values[i]);
      }
    }
    std::vector<std::string> out;
    out.reserve(results.size());
    for (auto &r : results)
      out.push_back(std::move(r).value());
    return out;
  });
}

} // namespace veteran::python
