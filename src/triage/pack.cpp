// The public phrase pack: compile_pack() runs the compiler's stages (see
// triage/detail/pack_compiler.hpp); from_json/from_file/default_pack.
#include "veteran/triage/pack.hpp"

#include "triage/detail/pack_compiler.hpp"
#include "util/file.hpp"

std::string_view veteran_embedded_pack_en_gb() noexcept;
std::string_view veteran_embedded_pack_cy_gb() noexcept;

VETERAN_NAMESPACE_BEGIN
namespace triage {
namespace detail {

std::unique_ptr<compiled_pack> compile_pack(std::string_view json) {
  loaded_pack p = load_pack(json);
  lint_pack(p);
  const auto ids = build_vocabulary(p);
  build_tries(p, ids);
  build_gate(p, ids);
  // A frame's hits name it by its roles ("act=@ingest + means=@medication").
  for (auto &f : p.out->frames) {
    f.phrase = static_cast<std::uint32_t>(p.out->phrases.size());
    p.out->phrases.push_back(f.description);
  }
  return std::move(p.out);
}

} // namespace detail

pack::pack(std::unique_ptr<const compiled> impl) : impl_(std::move(impl)) {}
pack::~pack() = default;

const std::string &pack::id() const noexcept { return impl_->id; }
const std::string &pack::version() const noexcept { return impl_->version; }
const std::string &pack::locale() const noexcept { return impl_->locale; }
const pack_stats &pack::stats() const noexcept { return impl_->stats; }
const std::vector<pack_finding> &pack::findings() const noexcept {
  return impl_->findings;
}

result<std::shared_ptr<const pack>> pack::from_json(std::string_view json) {
  if (json.size() > max_pack_bytes)
    return {errc::limit_exceeded,
            "pack: JSON exceeds " + std::to_string(max_pack_bytes) + " bytes"};
  std::shared_ptr<const pack> p;
  auto err = capture_error([&] { p = pack_internals::make(detail::compile_pack(json)); });
  if (err.code != errc::ok) return err;
  return p;
}

result<std::shared_ptr<const pack>> pack::from_file(const std::string &path) {
  util::read_file_options o;
  o.max_bytes = max_pack_bytes;
  auto text = util::read_file(path, "pack", o);
  if (!text) return text.error();
  return from_json(*text);
}

std::string_view default_pack_json() noexcept { return veteran_embedded_pack_en_gb(); }

std::string_view builtin_pack_json(std::string_view locale) noexcept {
  if (locale == "en-GB") return veteran_embedded_pack_en_gb();
  if (locale == "cy-GB") return veteran_embedded_pack_cy_gb();
  return {};
}

namespace {
/// Compiles a shipped pack. The shipped packs are validated by the test
/// suite; failing here is a build defect, surfaced loudly rather than by
/// silently triaging with nothing.
std::shared_ptr<const pack> compile_shipped(std::string_view locale) {
  auto r = pack::from_json(builtin_pack_json(locale));
  if (!r)
    throw veteran::error(errc::internal, "shipped pack " + std::string(locale) +
                                             " failed to load: " + r.message());
  return std::move(r).value();
}
} // namespace

std::shared_ptr<const pack> pack::default_pack() {
  static const std::shared_ptr<const pack> p = compile_shipped("en-GB");
  return p;
}

result<std::shared_ptr<const pack>> pack::builtin(std::string_view locale) {
  if (locale == "en-GB") return default_pack();
  if (locale == "cy-GB") {
    std::shared_ptr<const pack> p;
    auto err = capture_error([&] {
      static const std::shared_ptr<const pack> welsh = compile_shipped("cy-GB");
      p = welsh;
    });
    if (err.code != errc::ok) return err;
    return p;
  }
  return {errc::not_found, "pack: no shipped pack for that locale"};
}

std::vector<std::string> pack::builtin_locales() { return {"en-GB", "cy-GB"}; }

} // namespace triage
VETERAN_NAMESPACE_END
