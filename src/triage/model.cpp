// The learned model: loading (from_json/from_file/default_model) and scoring.
#include "veteran/triage/model.hpp"

#include <boost/json.hpp>

#include <cmath>
#include <cstdio>

#include "triage/detail/intern.hpp"
#include "triage/detail/model_features.hpp"
#include "triage/detail/model_internals.hpp"
#include "util/encoding.hpp"
#include "util/file.hpp"
#include "util/json_read.hpp"

std::string_view veteran_embedded_model_en_gb() noexcept;

VETERAN_NAMESPACE_BEGIN
namespace triage {
namespace {

constexpr std::string_view kFormat = "veteran-linear-model";
constexpr std::int64_t kMinHashBits = 8, kMaxHashBits = 22;

detail::model_data::head read_head(const util::json_object_reader &heads,
                                std::string_view name, level raises_to) {
  const auto *v = heads.find(name);
  if (!v) heads.fail("missing \"" + std::string(name) + "\"");
  util::json_object_reader r(*v, heads.where() + "." + std::string(name),
                             errc::pack_invalid);
  r.allow_only({"bias", "scale", "threshold"});
  detail::model_data::head h;
  h.bias = r.number("bias");
  h.scale = r.number("scale");
  h.threshold = r.number("threshold");
  if (!std::isfinite(h.bias) || !std::isfinite(h.scale) || h.scale < 0)
    r.fail("\"bias\" and \"scale\" must be finite, \"scale\" not negative");
  if (!(h.threshold > 0 && h.threshold < 1))
    r.fail("\"threshold\" must be a probability strictly between 0 and 1");
  h.raises_to = raises_to;
  return h;
}

detail::model_data compile_model(std::string_view json) {
  auto doc = util::parse_strict(json, "model").value();
  util::json_object_reader r(doc, "model", errc::pack_invalid);
  r.allow_only({"format", "format_version", "id", "version", "locale", "hash_bits",
                "heads", "weights", "training"});
  if (r.string("format") != kFormat)
    r.fail("\"format\" must be \"" + std::string(kFormat) + "\"");
  (void)r.integer("format_version", 1, 1);
  detail::model_data d;
  d.id = r.string("id");
  d.version = r.string("version");
  if (d.id.empty() || !util::is_id_token(d.id, 64))
    r.fail("\"id\" must be 1 to 64 characters of [A-Za-z0-9_-]");
  const auto bits = r.integer("hash_bits", kMinHashBits, kMaxHashBits);
  const std::size_t buckets = std::size_t{1} << bits;
  d.mask = static_cast<std::uint32_t>(buckets - 1);
  const auto *heads = r.find("heads");
  if (!heads) r.fail("missing \"heads\"");
  util::json_object_reader hr(*heads, "model.heads", errc::pack_invalid);
  hr.allow_only({"crisis", "concern"});
  d.crisis = read_head(hr, "crisis", level::high);
  d.concern = read_head(hr, "concern", level::medium);
  const std::string w = r.string("weights");
  if (util::b64url_decoded_length(w.size()) != buckets * 2)
    r.fail("\"weights\" must be base64url of 2 signed bytes per bucket (" +
           std::to_string(buckets * 2) + " bytes)");
  d.weights.resize(buckets * 2);
  if (!util::b64url_decode(w, reinterpret_cast<unsigned char *>(d.weights.data())))
    r.fail("\"weights\" is not valid unpadded base64url");
  d.interned_id = detail::intern(d.id);
  d.interned_version = detail::intern(d.version);
  return d;
}

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

std::string explain(const detail::model_data &mdl, const char *head, double score,
                    double threshold) {
  char buf[96];
  std::snprintf(buf, sizeof buf, " %s score %.3f >= threshold %.3f", head, score,
                threshold);
  return "learned model " + mdl.id + " " + mdl.version + buf;
}

} // namespace

model::model(std::unique_ptr<const compiled> impl) : impl_(std::move(impl)) {}
model::~model() = default;

const std::string &model::id() const noexcept { return impl_->id; }
const std::string &model::version() const noexcept { return impl_->version; }
model_head_info model::crisis() const noexcept {
  return {impl_->crisis.threshold, impl_->crisis.raises_to};
}
model_head_info model::concern() const noexcept {
  return {impl_->concern.threshold, impl_->concern.raises_to};
}
std::size_t model::buckets() const noexcept { return std::size_t{impl_->mask} + 1; }

result<std::shared_ptr<const model>> model::from_json(std::string_view json) {
  if (json.size() > max_model_bytes)
    return {errc::limit_exceeded,
            "model: JSON exceeds " + std::to_string(max_model_bytes) + " bytes"};
  std::shared_ptr<const model> m;
  auto err = capture_error(
      [&] { m = model_internals::make(compile_model(json)); });
  if (err.code != errc::ok) return err;
  return m;
}

result<std::shared_ptr<const model>> model::from_file(const std::string &path) {
  util::read_file_options o;
  o.max_bytes = max_model_bytes;
  auto text = util::read_file(path, "model", o);
  if (!text) return text.error();
  return from_json(*text);
}

std::string_view default_model_json() noexcept { return veteran_embedded_model_en_gb(); }

std::shared_ptr<const model> model::default_model() {
  static const std::shared_ptr<const model> m = [] {
    auto r = from_json(default_model_json());
    if (!r)
      throw veteran::error(errc::internal, "default model failed to load: " + r.message());
    return std::move(r).value();
  }();
  return m;
}

namespace detail {

void run_model(const model_data &mdl, std::string_view text, const compiled_pack &cp,
               const match_scratch &s, const message_result &m, assessment &a,
               level &lvl) {
  std::int32_t sum_crisis = 0, sum_concern = 0;
  const std::int8_t *w = mdl.weights.data();
  const std::uint32_t mask = mdl.mask;
  for_each_model_feature(text, cp, s, m, a, [&](std::uint32_t h) {
    const std::int8_t *pair = w + 2 * (h & mask);
    sum_crisis += pair[0];
    sum_concern += pair[1];
  });
  model_opinion &o = a.model;
  o.ran = true;
  o.id = mdl.interned_id;
  o.version = mdl.interned_version;
  o.crisis = sigmoid(mdl.crisis.bias + mdl.crisis.scale * sum_crisis);
  o.concern = sigmoid(mdl.concern.bias + mdl.concern.scale * sum_concern);
  const detail::model_data::head *fired = nullptr;
  if (o.crisis >= mdl.crisis.threshold)
    fired = &mdl.crisis;
  else if (o.concern >= mdl.concern.threshold)
    fired = &mdl.concern;
  o.lvl = fired ? fired->raises_to : level::none;
  if (fired && o.lvl > lvl) {
    o.raised = true;
    o.why = fired == &mdl.crisis ? explain(mdl, "crisis", o.crisis, mdl.crisis.threshold)
                                 : explain(mdl, "concern", o.concern, mdl.concern.threshold);
    lvl = o.lvl;
  }
}

} // namespace detail
} // namespace triage
VETERAN_NAMESPACE_END
