// Triage a short conversation with a session, printing level and why.
#include <iostream>

#include <veteran/triage.hpp>

int main() {
  namespace tr = veteran::triage;
  const tr::engine engine; // shipped en-GB pack, GB crisis resources
  tr::session conversation;
  for (const char *message : {"long day at the depot", "honestly I feel like a burden to everyone",
                              "I still have my old service pistol in the loft"}) {
    const tr::assessment a = engine.assess(message, conversation);
    std::cout << tr::to_string(a.lvl) << " (" << tr::to_string(a.band) << ")  " << message << "\n";
    for (const auto &t : a.triggers) std::cout << "    trigger " << t.id << ": " << t.why << "\n";
    for (const auto &p : a.trajectory) std::cout << "    pattern " << p << "\n";
    if (a.flags.alert_staff) std::cout << "    -> raise a safeguarding alert\n";
  }
}
