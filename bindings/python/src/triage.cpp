// Python binding of the triage module: assess(), Engine, Session and the
// columnar Batch returned by Engine.assess_many().
#include <pybind11/stl.h>

#include <algorithm>
#include <deque>
#include <iterator>
#include <thread>

#include "bindings.hpp"
#include "json.hpp"
#include "text.hpp"
#include "triage/detail/assessment_fields.hpp"
#include "triage/detail/json_value.hpp"
#include "veteran/triage.hpp"

namespace veteran::python {

namespace tr = veteran::triage;

namespace {

py::object str_or_none(const std::string &s) {
  if (s.empty()) return py::none();
  return py::str(s);
}

py::object resource_dict(const tr::resource &r) {
  python_writer w;
  tr::detail::visit_resource(r, w);
  return w.result();
}

/// Python's writer of the library's assessment walk: a span becomes "start"
/// and "end" as str indices into the text the engine assessed, plus
/// "start_byte" and "end_byte", the engine's UTF-8 byte offsets.
class assessment_writer : public python_writer {
public:
  explicit assessment_writer(std::string_view text) : at_(text) {}
  void span(std::uint32_t start, std::uint32_t end) {
    key("start");
    value(static_cast<std::uint64_t>(at_(start)));
    key("end");
    value(static_cast<std::uint64_t>(at_(end)));
    key("start_byte");
    value(start);
    key("end_byte");
    value(end);
  }

private:
  str_offsets at_;
};

/// The assessment as a dict: the library's one field walk (C++ JSON, the CLI
/// and Python share it), with Python spans.
py::dict to_dict(const tr::assessment &a, std::string_view text) {
  assessment_writer w(text);
  w.begin_object();
  tr::detail::visit_assessment_members(a, w);
  w.end_object();
  return py::reinterpret_borrow<py::dict>(w.result());
}

/// Results of assess_many, kept in C++ and converted on demand: columns() for
/// pandas, [i] / to_dicts() for full records. Most messages carry nothing but
/// their levels and flags, so each is a small row; the full assessment is
/// kept only for messages with triggers, suppressions, multipliers,
/// resources or an error (a batch of 200k messages stays a few MB).
class batch {
public:
  /// One message's summary; `detail` indexes details_ or is -1.
  struct row {
    double score = 0;
    std::int32_t detail = -1;
    std::uint32_t trigger_count = 0;
    tr::level lvl{}, other_level{};
    tr::rag band{};
    tr::intervention action{};
    tr::response_flags flags;
    bool concern_for_other = false;
    tr::risk_subject at_risk{};
    bool model_ran = false;
    tr::level model_lvl{};
    double model_crisis = 0, model_concern = 0;
  };
  /// True when `a` is fully described by its row plus `shared` (an
  /// assessment of the same engine giving the pack and country views).
  static bool plain(const tr::assessment &a, const tr::assessment &shared) {
    return a.pack_id.data() == shared.pack_id.data() &&
           a.pack_version.data() == shared.pack_version.data() && a.triggers.empty() &&
           a.suppressed.empty() && a.multipliers.empty() && a.trajectory.empty() &&
           a.patterns.empty() && a.turn == 0 && a.message_level == a.lvl &&
           a.conversation_level == a.lvl &&
           a.resources.empty() && a.classifier.empty() && a.error.empty() &&
           !a.model.raised && a.model.id.data() == shared.model.id.data() &&
           a.model.version.data() == shared.model.version.data();
  }
  static row summarise(const tr::assessment &a) {
    row r;
    r.score = a.score;
    r.trigger_count = static_cast<std::uint32_t>(a.triggers.size());
    r.lvl = a.lvl;
    r.other_level = a.other_level;
    r.band = a.band;
    r.action = a.action;
    r.flags = a.flags;
    r.concern_for_other = a.concern_for_other;
    r.at_risk = a.at_risk;
    r.model_ran = a.model.ran;
    r.model_lvl = a.model.lvl;
    r.model_crisis = a.model.crisis;
    r.model_concern = a.model.concern;
    return r;
  }

  /// The texts the batch was assessed from: `held` keeps the str objects
  /// alive, `repaired` owns texts rebuilt without lone surrogates, and
  /// `views[i]` is the UTF-8 of message i (for str-index spans).
  struct texts {
    py::list held;
    std::deque<std::string> repaired;
    std::vector<std::string_view> views;
  };

  batch(std::vector<row> rows, std::vector<tr::assessment> details, texts source,
        const tr::assessment &shared)
      : rows_(std::move(rows)), details_(std::move(details)), source_(std::move(source)),
        pack_id_(shared.pack_id), pack_version_(shared.pack_version),
        country_(shared.country), model_id_(shared.model.id),
        model_version_(shared.model.version) {}

  std::size_t size() const { return rows_.size(); }
  py::dict at(std::ptrdiff_t i) const {
    const auto n = static_cast<std::ptrdiff_t>(rows_.size());
    if (i < 0) i += n;
    if (i < 0 || i >= n) throw py::index_error("Batch index out of range");
    return record(static_cast<std::size_t>(i));
  }
  py::list to_dicts() const {
    py::list out;
    for (std::size_t i = 0; i < rows_.size(); ++i)
      out.append(record(i));
    return out;
  }
  /// Flat columns, one list per field, suitable for pandas.DataFrame(...).
  py::dict columns() const {
    const auto n = rows_.size();
    // Names from the library's own tables, made once per batch.
    py::str levels[5], rags[4], actions[5];
    for (int i = 0; i < 5; ++i)
      levels[i] = tr::to_string(static_cast<tr::level>(i));
    for (int i = 0; i < 4; ++i)
      rags[i] = tr::to_string(static_cast<tr::rag>(i));
    for (int i = 0; i < 5; ++i)
      actions[i] = tr::to_string(static_cast<tr::intervention>(i));
    py::list level(n), rag(n), score(n), action(n), alert(n), show(n), block(n), other(n),
        ntrig(n), error(n), mcrisis(n), mconcern(n), mlevel(n);
    for (std::size_t i = 0; i < n; ++i) {
      const auto &r = rows_[i];
      level[i] = levels[static_cast<int>(r.lvl)];
      rag[i] = rags[static_cast<int>(r.band)];
      score[i] = py::float_(r.score);
      action[i] = actions[static_cast<int>(r.action)];
      alert[i] = py::bool_(r.flags.alert_staff);
      show[i] = py::bool_(r.flags.show_resources);
      block[i] = py::bool_(r.flags.block_ai_reply);
      other[i] = py::bool_(r.concern_for_other);
      ntrig[i] = py::int_(r.trigger_count);
      mcrisis[i] = r.model_ran ? py::object(py::float_(r.model_crisis)) : py::none();
      mconcern[i] = r.model_ran ? py::object(py::float_(r.model_concern)) : py::none();
      mlevel[i] = r.model_ran ? py::object(levels[static_cast<int>(r.model_lvl)])
                              : py::none();
      error[i] = r.detail < 0
                     ? py::none()
                     : str_or_none(details_[static_cast<std::size_t>(r.detail)].error);
    }
    py::dict d;
    d["level"] = level;
    d["rag"] = rag;
    d["score"] = score;
    d["intervention"] = action;
    d["alert_staff"] = alert;
    d["show_resources"] = show;
    d["block_ai_reply"] = block;
    d["concern_for_other"] = other;
    d["trigger_count"] = ntrig;
    d["error"] = error;
    d["model_crisis"] = mcrisis;
    d["model_concern"] = mconcern;
    d["model_level"] = mlevel;
    return d;
  }
  /// Counts per level, e.g. {"none": 950, "high": 50, ...} (all five keys).
  py::dict level_counts() const {
    std::size_t counts[5] = {};
    for (const auto &r : rows_)
      ++counts[static_cast<int>(r.lvl)];
    py::dict d;
    for (int l = 0; l < 5; ++l)
      d[tr::to_string(static_cast<tr::level>(l))] = counts[l];
    return d;
  }

private:
  py::dict record(std::size_t i) const {
    return to_dict(full(rows_[i]), source_.views[i]);
  }

  /// The full assessment of a row (rebuilt for plain rows).
  tr::assessment full(const row &r) const {
    if (r.detail >= 0) return details_[static_cast<std::size_t>(r.detail)];
    tr::assessment a;
    a.lvl = r.lvl;
    a.band = r.band;
    a.score = r.score;
    a.action = r.action;
    a.flags = r.flags;
    a.concern_for_other = r.concern_for_other;
    a.at_risk = r.at_risk;
    a.message_level = a.conversation_level = r.lvl; // assess_many has no session
    a.other_level = r.other_level;
    a.pack_id = pack_id_;
    a.pack_version = pack_version_;
    a.model.ran = r.model_ran;
    if (r.model_ran) {
      a.model.id = model_id_;
      a.model.version = model_version_;
      a.model.crisis = r.model_crisis;
      a.model.concern = r.model_concern;
      a.model.lvl = r.model_lvl;
    }
    a.country = country_;
    return a;
  }

  std::vector<row> rows_;
  std::vector<tr::assessment> details_;
  texts source_;
  std::string_view pack_id_, pack_version_, country_; // interned: live until exit
  std::string_view model_id_, model_version_;          // interned, or empty
};

/// A pack given as JSON text or a file path (or, with `builtin`, the locale
/// of a shipped pack such as "cy-GB").
std::shared_ptr<const tr::pack> pack_from(const std::string &s, bool builtin) {
  if (builtin)
    for (const auto &locale : tr::pack::builtin_locales())
      if (s == locale) return tr::pack::builtin(locale).value();
  const auto first = s.find_first_not_of(" \t\r\n");
  auto r = (first != std::string::npos && s[first] == '{') ? tr::pack::from_json(s)
                                                           : tr::pack::from_file(s);
  return std::move(r).value();
}

std::shared_ptr<const tr::pack> load_pack(const py::object &pack) {
  if (pack.is_none()) return tr::pack::default_pack();
  return pack_from(py::str(pack), false);
}

/// Engine options for the `extra_packs` argument: each a shipped locale
/// ("cy-GB"), a file path or JSON text; None entries reach engine::create,
/// which refuses them by index.
void choose_extra_packs(const py::object &extras, tr::engine_options &o) {
  if (extras.is_none()) return;
  if (PyUnicode_Check(extras.ptr()))
    throw py::type_error("extra_packs must be a list of str, not a single string");
  for (auto item : py::iterable(extras))
    o.extra_packs.push_back(item.is_none() ? nullptr : pack_from(py::str(item), true));
}

/// Engine options for the `model` argument: None = the shipped model,
/// False = rules alone, a str = a model file path or JSON text.
void choose_model(const py::object &model, tr::engine_options &o) {
  if (model.is_none()) return;
  if (py::isinstance<py::bool_>(model)) {
    if (model.cast<bool>())
      throw veteran::error(errc::invalid_argument,
                           "model must be None, False, or a model file path or JSON");
    o.use_learned_model = false;
    return;
  }
  const std::string s = py::str(model);
  const auto first = s.find_first_not_of(" \t\r\n");
  auto r = (first != std::string::npos && s[first] == '{') ? tr::model::from_json(s)
                                                           : tr::model::from_file(s);
  o.learned_model = std::move(r).value();
}

batch assess_many(const tr::engine &e, const py::iterable &texts, int threads) {
  if (threads < 1) throw veteran::error(errc::invalid_argument, "threads must be >= 1");
  // A str is iterable too, but one assessment per character is never meant.
  if (PyUnicode_Check(texts.ptr()) || PyBytes_Check(texts.ptr()) ||
      PyByteArray_Check(texts.ptr()))
    throw py::type_error("texts must be an iterable of str, not a single string");
  // Hold our own references so the strings outlive the GIL-free section even
  // if the caller mutates their list meanwhile.
  batch::texts source;
  std::vector<std::string_view> &views = source.views;
  for (auto item : texts) {
    const std::string where = "texts[" + std::to_string(views.size()) + "]";
    if (!PyUnicode_Check(item.ptr()))
      throw veteran::error(errc::invalid_argument, where + " must be a str");
    std::string repaired;
    std::string_view v = utf8_of(item, repaired, lone_surrogates::replace, where.c_str());
    if (!repaired.empty() && v.data() == repaired.data()) {
      source.repaired.push_back(std::move(repaired));
      v = source.repaired.back();
    }
    source.held.append(item);
    views.push_back(v);
  }
  const std::size_t n = views.size();
  std::vector<batch::row> rows(n);
  const std::size_t workers = std::min<std::size_t>(static_cast<std::size_t>(threads),
                                                    std::max<std::size_t>(n, 1));
  // Each worker owns a contiguous range of rows and its own details.
  std::vector<std::vector<tr::assessment>> details(workers);
  tr::assessment shared; // pack and country views for plain rows
  {
    py::gil_scoped_release release;
    // Interned views: a message assessed under another pack (set_pack during
    // the batch) does not match them and keeps its full assessment.
    shared = e.assess(std::string_view());
    auto work = [&](std::size_t w) {
      for (std::size_t i = w * n / workers; i < (w + 1) * n / workers; ++i) {
        tr::assessment a = e.assess(views[i]);
        rows[i] = batch::summarise(a);
        if (!batch::plain(a, shared)) {
          rows[i].detail = static_cast<std::int32_t>(details[w].size());
          details[w].push_back(std::move(a));
        }
      }
    };
    std::vector<std::thread> pool;
    for (std::size_t w = 1; w < workers; ++w)
      pool.emplace_back(work, w);
    work(0);
    for (auto &t : pool)
      t.join();
  }
  // Renumber details into one vector, worker by worker.
  std::vector<tr::assessment> all;
  for (std::size_t w = 0; w < workers; ++w) {
    const auto offset = static_cast<std::int32_t>(all.size());
    for (std::size_t i = w * n / workers; i < (w + 1) * n / workers; ++i)
      if (rows[i].detail >= 0) rows[i].detail += offset;
    std::move(details[w].begin(), details[w].end(), std::back_inserter(all));
  }
  return batch(std::move(rows), std::move(all), std::move(source), shared);
}

} // namespace

void bind_triage(py::module_ &m) {
  py::class_<tr::session>(m, "Session",
                          "Conversation state for trajectory rules (not thread-safe).")
      .def(py::init<std::size_t, tr::timestamp_ms>(),
           py::arg("max_turns") = tr::session::default_max_turns,
           py::arg("memory_ms") = tr::session::default_memory_ms)
      .def("to_json", &tr::session::to_json)
      .def_static("from_json",
                  [](const std::string &s) { return tr::session::from_json(s).value(); })
      .def("clear", &tr::session::clear)
      .def("__len__", [](const tr::session &s) { return s.turns().size(); });

  py::class_<batch>(m, "Batch", "Results of Engine.assess_many().")
      .def("__len__", &batch::size)
      .def("__getitem__", &batch::at)
      .def("to_dicts", &batch::to_dicts)
      .def("columns", &batch::columns)
      .def("level_counts", &batch::level_counts);

  py::class_<tr::engine>(m, "Engine")
      .def(py::init([](const py::object &pack, const std::string &country,
                       const py::object &model, const py::object &extra_packs) {
             tr::engine_options o;
             o.country = country;
             choose_model(model, o);
             choose_extra_packs(extra_packs, o);
             return tr::engine::create(load_pack(pack), o).value();
           }),
           py::arg("pack") = py::none(), py::arg("country") = "GB",
           py::arg("model") = py::none(), py::arg("extra_packs") = py::none())
      .def_property_readonly("extra_packs",
                             [](const tr::engine &e) {
                               std::vector<std::string> locales;
                               for (const auto &p : e.extra_packs())
                                 locales.push_back(p->locale());
                               return locales;
                             })
      .def(
          "model_features",
          [](const tr::engine &e, const py::object &obj) {
            std::string storage;
            const std::string_view text =
                utf8_of(obj, storage, lone_surrogates::replace, "text");
            std::vector<std::uint32_t> f;
            {
              py::gil_scoped_release release;
              f = e.model_features(text).value();
            }
            return f;
          },
          py::arg("text"),
          "Hashed features the learned model reads (for scripts/train-model.py).")
      .def(
          "assess",
          [](const tr::engine &e, const py::object &obj, tr::session *s,
             std::optional<tr::timestamp_ms> now) {
            // Never raises for a str: lone surrogates are read as U+FFFD.
            std::string storage;
            const std::string_view text =
                utf8_of(obj, storage, lone_surrogates::replace, "text");
            py::object keep = obj; // the view may point into obj's cached UTF-8
            tr::assessment a;
            {
              py::gil_scoped_release release;
              a = s ? e.assess(text, *s, now) : e.assess(text);
            }
            return to_dict(a, text);
          },
          py::arg("text"), py::arg("session") = nullptr, py::arg("now_ms") = py::none())
      .def("assess_many", &assess_many, py::arg("texts"), py::arg("threads") = 1)
      .def_property_readonly("model_id",
                             [](const tr::engine &e) -> py::object {
                               const auto lm = e.learned_model();
                               if (!lm) return py::none();
                               return py::str(lm->id() + " " + lm->version());
                             })
      .def_property_readonly("pack_id",
                             [](const tr::engine &e) { return e.current_pack()->id(); })
      .def_property_readonly("pack_version", [](const tr::engine &e) {
        return e.current_pack()->version();
      });

  m.def(
      "pack_check",
      [](const std::string &path_or_json) {
        return to_python(tr::detail::pack_json(*load_pack(py::str(path_or_json))));
      },
      py::arg("pack"));
  m.def("resources", [](const std::string &country) {
    py::list out;
    const auto list = tr::resources_for(country).value(); // keep the vector alive
    for (const auto &r : list)
      out.append(resource_dict(r));
    return out;
  });
  m.def("ai_disclaimer", [] { return tr::ai_disclaimer(); });
}

} // namespace veteran::python
