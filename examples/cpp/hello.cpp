// Smallest possible program: initialise the SDK and print its version.
#include <iostream>

#include <veteran/veteran.hpp>

int main() {
  if (auto r = veteran::global_init(); !r) {
    std::cerr << "veteran init failed: " << r.message() << "\n";
    return 1;
  }
  std::cout << "veteran " << veteran::version() << "\n";
}
