// PII subcommands. Values may be given as an argument or on stdin (stdin keeps
// them out of the process list). Errors name the option or field, never the
// value; single-value commands print the bare value and a newline.
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <set>
#include <sstream>

#include <fmt/core.h>

#include "cli/cmd_pii.hpp"
#include "util/secret.hpp"
#include "veteran/pii.hpp"

namespace veteran::cli {

namespace {

namespace pii = veteran::pii;

constexpr const char *kPassphraseEnv = "VETERAN_PII_PASSPHRASE";

const option_spec kKeys{"keys", true, "key file (JSON, see docs/pii.md)"};
const option_spec kKeysEnv{"keys-env", true,
                           "read keys from this environment variable instead"};
const option_spec kPassEnv{"pass-env", true,
                           "environment variable holding the key-file passphrase "
                           "(default VETERAN_PII_PASSPHRASE)"};
const option_spec kTable{"table", true, "table name (bound into the ciphertext)"};
const option_spec kField{"field", true, "field name (bound into the ciphertext)"};
const option_spec kId{"id", true, "record id (bound into the ciphertext)"};
const option_spec kStrictPerms{"strict-perms", false,
                               "refuse a key file that group or others may access "
                               "(default: warn)"};

std::string passphrase_from(const args &a) {
  const std::string var = a.value("pass-env").value_or(kPassphraseEnv);
  const char *p = std::getenv(var.c_str());
  return p ? std::string(p) : std::string();
}

/// Loads a key file; warns on stderr (naming the file, never its contents)
/// when group or others may access it, or refuses it with --strict-perms.
veteran::result<pii::keyring> load_key_file(const char *command_name, const args &a,
                                            const std::string &path,
                                            const std::string &passphrase) {
  pii::load_options o;
  o.strict_permissions = a.flag("strict-perms");
  struct stat st {};
  if (!o.strict_permissions && ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
      (st.st_mode & 077) != 0) {
    fmt::print(stderr,
               "veteran {}: warning: key file {} is accessible by group or others (mode "
               "{:04o}); "
               "run chmod 600 on it (--strict-perms refuses such files)\n",
               command_name, path, static_cast<unsigned>(st.st_mode & 07777));
  }
  return pii::keyring::from_file(path, passphrase, o);
}

veteran::result<pii::keyring> load_keys(const char *command_name, const args &a) {
  const auto file = a.value("keys");
  const auto env = a.value("keys-env");
  if (file && env) throw usage_error("give either --keys or --keys-env, not both");
  if (env) return pii::keyring::from_env(env->c_str());
  if (!file) throw usage_error("missing required option --keys (or --keys-env)");
  std::string pass = passphrase_from(a);
  util::wipe_on_exit w{pass};
  return load_key_file(command_name, a, *file, pass);
}

/// The single VALUE argument, or all of stdin. With `trim_newline`, one
/// trailing "\n" / "\r\n" from stdin is dropped (what `echo` adds).
std::string value_arg(const args &a, bool trim_newline) {
  a.expect_positionals(0, 1);
  if (!a.positionals().empty()) return a.positionals()[0];
  std::string in = read_stdin();
  if (trim_newline && !in.empty() && in.back() == '\n') {
    in.pop_back();
    if (!in.empty() && in.back() == '\r') in.pop_back();
  }
  return in;
}

pii::value_kind kind_arg(const args &a) {
  const std::string t = a.value("type").value_or("string");
  if (t == "string") return pii::value_kind::string;
  if (t == "bytes") return pii::value_kind::bytes;
  if (t == "json") return pii::value_kind::json;
  throw usage_error("--type must be string, bytes or json");
}

int print_line(const char *command_name, const std::string &text) {
  std::cout << text << '\n';
  return finish_stdout(command_name);
}

/// An exclusive lock on "<key file>.lock", held while a key file is read,
/// changed and replaced, so concurrent rotations cannot lose a key. The lock
/// file is a sidecar (the key file itself is replaced by rename, so a lock on
/// it would not exclude a process that opens the new file).
class key_file_lock {
public:
  explicit key_file_lock(const std::string &key_path)
      : path_(key_path + ".lock"),
        fd_(::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600)) {
    if (fd_ < 0) return;
    int rc;
    do {
      rc = ::flock(fd_, LOCK_EX);
    } while (rc != 0 && errno == EINTR);
    if (rc != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~key_file_lock() {
    if (fd_ >= 0) ::close(fd_); // releases the lock
  }
  key_file_lock(const key_file_lock &) = delete;
  key_file_lock &operator=(const key_file_lock &) = delete;
  [[nodiscard]] bool ok() const noexcept { return fd_ >= 0; }
  [[nodiscard]] const std::string &path() const noexcept { return path_; }

private:
  std::string path_;
  int fd_;
};

// ---- keygen -----------------------------------------------------------------
int run_keygen(const args &a) {
  a.expect_positionals(0, 0);
  const std::string out = a.required("out");
  const std::string id = a.value("id").value_or("");
  const auto pass_var = a.value("pass-env");
  std::string pass;
  if (pass_var) {
    const char *p = std::getenv(pass_var->c_str());
    if (!p || !*p)
      return fail("keygen", errc::key_missing,
                  "environment variable " + *pass_var + " is empty or not set");
    pass = p;
  }
  util::wipe_on_exit w{pass};
  const bool replace = a.flag("force") || a.flag("rotate");
  std::unique_ptr<key_file_lock> lock;
  if (replace) {
    lock = std::make_unique<key_file_lock>(out);
    if (!lock->ok())
      return fail("keygen", errc::io_error, "cannot lock key file: " + lock->path());
  }
  pii::keyring ring;
  if (a.flag("rotate")) {
    std::string existing = passphrase_from(a);
    util::wipe_on_exit w2{existing};
    auto loaded = load_key_file("keygen", a, out, existing);
    if (!loaded) return fail("keygen", loaded.error());
    ring = std::move(*loaded);
  }
  std::string new_id = id;
  if (new_id.empty()) {
    auto rid = pii::random_key_id();
    if (!rid) return fail("keygen", rid.error());
    new_id = std::move(*rid);
  }
  auto added = pass_var ? ring.add_passphrase_key(new_id, pass,
                                                  pii::keyring::random_salt(), {}, true)
                        : ring.add_generated_key(new_id, true);
  if (!added) return fail("keygen", added.error());
  auto saved = ring.save(out, replace);
  if (!saved) return fail("keygen", saved.error());
  return print_line("keygen", ring.active_id());
}

// ---- encrypt / decrypt / rewrap ------------------------------------------------
int run_encrypt(const args &a) {
  const auto kind = kind_arg(a);
  auto ring = load_keys("encrypt", a);
  if (!ring) return fail("encrypt", ring.error());
  const std::string table = a.required("table"), field = a.required("field"),
                    id = a.required("id");
  std::string value = value_arg(a, kind != pii::value_kind::bytes);
  util::wipe_on_exit w{value};
  auto env = pii::encrypt(*ring, {table, field, id}, kind, value);
  if (!env) return fail("encrypt", env.error());
  return print_line("encrypt", *env);
}

std::string envelope_arg(const args &a) {
  std::string text = value_arg(a, false);
  // Envelopes are ASCII without spaces: surrounding whitespace from a pipe is
  // not part of them (the decoder itself stays strict).
  const auto b = text.find_first_not_of(" \t\r\n");
  const auto e = text.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? std::string() : text.substr(b, e - b + 1);
}

int run_decrypt(const args &a) {
  auto ring = load_keys("decrypt", a);
  if (!ring) return fail("decrypt", ring.error());
  const std::string table = a.required("table"), field = a.required("field"),
                    id = a.required("id");
  auto plain = pii::decrypt(*ring, {table, field, id}, envelope_arg(a));
  if (!plain) return fail("decrypt", plain.error());
  util::wipe_on_exit w{plain->data};
  return print_line("decrypt", plain->data);
}

int run_rewrap(const args &a) {
  auto ring = load_keys("rewrap", a);
  if (!ring) return fail("rewrap", ring.error());
  const std::string table = a.required("table"), field = a.required("field"),
                    id = a.required("id");
  auto env = pii::rewrap(*ring, {table, field, id}, envelope_arg(a));
  if (!env) return fail("rewrap", env.error());
  return print_line("rewrap", *env);
}

// ---- migrate --------------------------------------------------------------------
std::vector<std::string> split_columns(const std::string &list) {
  std::vector<std::string> out;
  std::stringstream ss(list);
  std::string item;
  while (std::getline(ss, item, ','))
    out.push_back(item);
  if (!list.empty() && list.back() == ',') out.emplace_back();
  std::set<std::string> seen; // SQLite names are case-insensitive
  for (const auto &c : out) {
    std::string key = c;
    for (auto &ch : key)
      ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (!c.empty() && !seen.insert(key).second)
      throw usage_error("--columns lists column '" + c +
                        "' twice (names are case-insensitive)");
  }
  return out;
}

int run_migrate(const args &a) {
  a.expect_positionals(0, 0);
  pii::migration_options o;
  const std::string db = a.required("db");
  o.table = a.required("table");
  o.id_column = a.required("id-column");
  o.columns = split_columns(a.required("columns"));
  o.dry_run = a.flag("dry-run");
  if (auto n = a.integer("batch", 1, 1000000))
    o.batch_size = static_cast<std::size_t>(*n);
  auto ring = load_keys("migrate", a);
  if (!ring) return fail("migrate", ring.error());
  auto counts = pii::migrate_sqlite(db, *ring, o);
  if (!counts) return fail("migrate", counts.error());
  std::cout << pii::to_json(*counts) << '\n';
  if (int rc = finish_stdout("migrate", "the migration ran, but its counts"); rc != 0)
    return rc;
  if (counts->failed > 0) {
    std::cerr
        << "veteran migrate: " << counts->failed
        << " value(s) could not be migrated and were left unchanged [crypto_failure]\n";
    return exit_failure;
  }
  return exit_ok;
}

// ---- redact / phone / index --------------------------------------------------------
int run_redact(const args &a) {
  a.expect_positionals(0, 1);
  const bool from_stdin = a.positionals().empty();
  std::string text = from_stdin ? read_stdin() : a.positionals()[0];
  util::wipe_on_exit w{text};
  veteran::result<pii::redaction> r = veteran::error_info{errc::internal, ""};
  if (a.flag("pseudonym")) {
    auto ring = load_keys("redact", a);
    if (!ring) return fail("redact", ring.error());
    r = pii::redact_pseudonymise(text, *ring);
  } else {
    if (a.value("keys") || a.value("keys-env"))
      throw usage_error("--keys is only used with --pseudonym");
    r = pii::redact(text);
  }
  if (!r) return fail("redact", r.error());
  if (a.flag("json")) return print_line("redact", pii::to_json(*r));
  std::cout << r->text;
  if (r->text.empty() || r->text.back() != '\n') std::cout << '\n';
  return finish_stdout("redact");
}

int run_phone(const args &a) {
  a.expect_positionals(1, 1);
  auto e164 =
      pii::normalise_phone(a.positionals()[0], a.value("field").value_or("phone"));
  if (!e164) return fail("phone", e164.error());
  return print_line("phone", *e164);
}

pii::index_kind index_kind_for(const args &a, const std::string &field) {
  const std::string k = a.value("kind").value_or("auto");
  if (k != "auto") {
    auto parsed = pii::parse_index_kind(k);
    if (!parsed) throw usage_error("--kind must be auto, exact, phone, email or name");
    return *parsed;
  }
  // auto: inferred from the field name, so one field is always normalised
  // the same way.
  auto has = [&](const char *w) { return field.find(w) != std::string::npos; };
  if (has("phone") || has("mobile") || has("tel")) return pii::index_kind::phone;
  if (has("email") || has("mail")) return pii::index_kind::email;
  if (has("name")) return pii::index_kind::name;
  return pii::index_kind::exact;
}

int run_index(const args &a) {
  const std::string field = a.required("field");
  const auto kind = index_kind_for(a, field);
  auto ring = load_keys("index", a);
  if (!ring) return fail("index", ring.error());
  std::string value = value_arg(a, true);
  util::wipe_on_exit w{value};
  auto idx = pii::blind_index(*ring, field, kind, value);
  if (!idx) return fail("index", idx.error());
  return print_line("index", *idx);
}

} // namespace

veteran::result<std::shared_ptr<const pii::keyring>>
load_optional_keys(const char *command_name, const args &a) {
  if (!a.value("keys") && !a.value("keys-env"))
    return std::shared_ptr<const pii::keyring>();
  auto ring = load_keys(command_name, a);
  if (!ring) return ring.error();
  return std::shared_ptr<const pii::keyring>(
      std::make_shared<pii::keyring>(std::move(*ring)));
}

const std::vector<option_spec> &key_options() {
  static const std::vector<option_spec> opts = {kKeys, kKeysEnv, kPassEnv, kStrictPerms};
  return opts;
}

command keygen_command() {
  return {
      "keygen",
      "create a key ring file",
      "--out FILE [--id ID] [--force] [--rotate] [--pass-env VAR]",
      {{"out", true, "key file to write (mode 0600)"},
       {"id", true, "key id (default: random k + 8 hex digits)"},
       {"force", false, "replace an existing file"},
       {"rotate", false, "add a new active key to the existing FILE (keeps old keys)"},
       {"pass-env", true,
        "derive the new key from the passphrase in this environment variable "
        "(Argon2id, random salt); with --rotate it also unlocks FILE"},
       kStrictPerms},
      run_keygen};
}

command encrypt_command() {
  return {"encrypt",
          "encrypt one field value",
          "--keys FILE --table T --field F --id R [--type string|bytes|json] [VALUE]",
          {kKeys,
           kKeysEnv,
           kPassEnv,
           kStrictPerms,
           kTable,
           kField,
           kId,
           {"type", true, "value type: string (default), bytes or json"}},
          run_encrypt};
}

command decrypt_command() {
  return {"decrypt",
          "decrypt one field envelope",
          "--keys FILE --table T --field F --id R [ENVELOPE]",
          {kKeys, kKeysEnv, kPassEnv, kStrictPerms, kTable, kField, kId},
          run_decrypt};
}

command rewrap_command() {
  return {"rewrap",
          "re-encrypt an envelope with the active key",
          "--keys FILE --table T --field F --id R [ENVELOPE]",
          {kKeys, kKeysEnv, kPassEnv, kStrictPerms, kTable, kField, kId},
          run_rewrap};
}

command migrate_command() {
  return {"migrate",
          "encrypt/rewrap columns of a SQLite table",
          "--db FILE --keys FILE --table T --id-column C --columns a,b [--dry-run] "
          "[--batch N]",
          {{"db", true, "SQLite database file"},
           kKeys,
           kKeysEnv,
           kPassEnv,
           kStrictPerms,
           {"table", true, "table to migrate"},
           {"id-column", true, "column identifying a row (bound into each ciphertext)"},
           {"columns", true, "comma-separated columns to encrypt"},
           {"dry-run", false, "report counts, change nothing"},
           {"batch", true, "rows per transaction (default 500)"}},
          run_migrate};
}

command redact_command() {
  return {"redact",
          "mask personal data in text",
          "[--json] [--pseudonym --keys FILE] [TEXT]",
          {{"json", false, "print {\"text\", \"found\": [{\"type\",\"start\",\"end\"}]}"},
           {"pseudonym", false, "replace with stable keyed pseudonyms instead of masks"},
           kKeys,
           kKeysEnv,
           kPassEnv,
           kStrictPerms},
          run_redact};
}

command phone_command() {
  return {"phone",
          "normalise a phone number to E.164",
          "NUMBER [--field NAME]",
          {{"field", true, "name used in error messages (default phone)"}},
          run_phone};
}

command index_command() {
  return {"index",
          "compute a blind index for a field value",
          "--keys FILE --field F [--kind auto|exact|phone|email|name] [VALUE]",
          {kKeys,
           kKeysEnv,
           kPassEnv,
           kStrictPerms,
           {"field", true, "field name (selects the index key)"},
           {"kind", true, "normalisation (default auto: from the field name)"}},
          run_index};
}

} // namespace veteran::cli
