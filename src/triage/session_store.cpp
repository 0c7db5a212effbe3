// Bounded, idle-expiring map of sessions: see veteran/triage/session_store.hpp.
#include "veteran/triage/session_store.hpp"

VETERAN_NAMESPACE_BEGIN
namespace triage {

session_store::session_store(session_store_options options) : options_(options) {
  if (options_.max_sessions == 0)
    throw veteran::error(errc::invalid_argument,
                         "session store: max_sessions must be > 0");
  if (options_.idle_ms < 0)
    throw veteran::error(errc::invalid_argument, "session store: idle_ms must be >= 0");
}

void session_store::expire_idle(timestamp_ms now) {
  // The list is in order of use, so the idle ones are all at the back.
  while (!lru_.empty() && now - lru_.back().last_used > options_.idle_ms) {
    index_.erase(lru_.back().id);
    lru_.pop_back();
    ++expired_idle_;
  }
}

session &session_store::get(std::string_view id, timestamp_ms now) {
  expire_idle(now);
  if (auto it = index_.find(id); it != index_.end()) {
    lru_.splice(lru_.begin(), lru_, it->second);
    it->second->last_used = now;
    return it->second->s;
  }
  if (index_.size() >= options_.max_sessions) {
    index_.erase(lru_.back().id);
    lru_.pop_back();
    ++evicted_full_;
  }
  lru_.push_front(
      entry{std::string(id), session(options_.max_turns, options_.memory_ms), now});
  index_.emplace(lru_.front().id, lru_.begin());
  return lru_.front().s;
}

bool session_store::erase(std::string_view id) {
  auto it = index_.find(id);
  if (it == index_.end()) return false;
  auto pos = it->second;
  index_.erase(it);
  lru_.erase(pos);
  return true;
}

bool session_store::contains(std::string_view id) const { return index_.count(id) != 0; }

} // namespace triage
VETERAN_NAMESPACE_END
