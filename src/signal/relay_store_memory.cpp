// The in-memory relay_store: maps keyed by id, a bounded log per room.
#include <deque>
#include <map>

#include "veteran/signal/relay_store.hpp"

VETERAN_NAMESPACE_BEGIN
namespace signal {

namespace {

template <class Map>
auto find_copy(const Map &m, std::string_view id)
    -> std::optional<typename Map::mapped_type> {
  auto it = m.find(id);
  if (it == m.end()) return std::nullopt;
  return it->second;
}

template <class Map> auto values(const Map &m) {
  std::vector<typename Map::mapped_type> out;
  out.reserve(m.size());
  for (const auto &kv : m)
    out.push_back(kv.second);
  return out;
}

template <class Map> void erase_id(Map &m, std::string_view id) {
  auto it = m.find(id);
  if (it != m.end()) m.erase(it);
}

class memory_store final : public relay_store {
public:
  explicit memory_store(std::size_t log_limit) : log_limit_(log_limit) {}

  std::optional<peer_record> get_peer(std::string_view id) override {
    return find_copy(peers_, id);
  }
  void put_peer(const peer_record &p) override { peers_[p.id] = p; }
  std::vector<peer_record> list_peers() override { return values(peers_); }

  std::optional<call_record> get_call(std::string_view id) override {
    return find_copy(calls_, id);
  }
  void put_call(const call_record &c) override { calls_[c.id] = c; }
  void erase_call(std::string_view id) override { erase_id(calls_, id); }
  std::vector<call_record> list_calls() override { return values(calls_); }

  std::optional<chat_request_record> get_request(std::string_view id) override {
    return find_copy(requests_, id);
  }
  void put_request(const chat_request_record &r) override { requests_[r.id] = r; }
  void erase_request(std::string_view id) override { erase_id(requests_, id); }
  std::vector<chat_request_record> list_requests() override { return values(requests_); }

  std::optional<room_record> get_room(std::string_view id) override {
    return find_copy(rooms_, id);
  }
  void put_room(const room_record &r) override { rooms_[r.id] = r; }

  void append_log(std::string_view room_id, const message &m) override {
    auto &log = logs_[std::string(room_id)];
    log.push_back(m);
    while (log.size() > log_limit_)
      log.pop_front();
  }

  std::optional<std::vector<message>> log_after(std::string_view room_id,
                                                std::string_view after_id) override {
    std::vector<message> out;
    auto it = logs_.find(room_id);
    if (it == logs_.end()) {
      if (after_id.empty()) return out;
      return std::nullopt;
    }
    const auto &log = it->second;
    auto from = log.begin();
    if (!after_id.empty()) {
      while (from != log.end() && from->id != after_id)
        ++from;
      if (from == log.end()) return std::nullopt;
      ++from;
    }
    out.assign(from, log.end());
    return out;
  }

  std::uint64_t next_sequence() override { return ++sequence_; }

private:
  std::size_t log_limit_;
  std::map<std::string, peer_record, std::less<>> peers_;
  std::map<std::string, call_record, std::less<>> calls_;
  std::map<std::string, chat_request_record, std::less<>> requests_;
  std::map<std::string, room_record, std::less<>> rooms_;
  std::map<std::string, std::deque<message>, std::less<>> logs_;
  std::uint64_t sequence_ = 0;
};

} // namespace

std::unique_ptr<relay_store> make_memory_store(std::size_t log_limit) {
  if (log_limit == 0)
    throw error(errc::invalid_argument,
                "memory relay store: log_limit must be at least 1");
  return std::make_unique<memory_store>(log_limit);
}

} // namespace signal
VETERAN_NAMESPACE_END
