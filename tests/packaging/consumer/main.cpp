#include <iostream>

#include <veteran/veteran.hpp>

int main() {
  if (!veteran::global_init().ok()) return 1;
  veteran::result<int> r(veteran::errc::not_found, "x");
  if (r.ok() || r.code() != veteran::errc::not_found) return 1;
  std::cout << "veteran " << veteran::version() << "\n";
  return 0;
}
