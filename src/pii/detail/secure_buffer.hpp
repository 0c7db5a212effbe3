// Internal: a fixed-size buffer in sodium_malloc memory (guard pages, locked
// where possible), wiped and freed by sodium_free on destruction.
#pragma once

#include "veteran/version.hpp"
#include <cstddef>
#include <utility>

VETERAN_NAMESPACE_BEGIN
namespace pii::detail {

class secure_buffer {
public:
  secure_buffer() = default;
  /// Allocates `size` bytes; throws veteran::error(out_of_memory) on failure.
  /// Precondition: libsodium initialised (veteran::global_init()).
  explicit secure_buffer(std::size_t size);
  /// As above but never throws: an empty buffer (data() == nullptr) when the
  /// allocation failed (sodium_malloc needs several memory mappings per call
  /// and fails once the process's mapping limit is reached).
  [[nodiscard]] static secure_buffer try_allocate(std::size_t size) noexcept;
  ~secure_buffer();
  secure_buffer(secure_buffer &&o) noexcept
      : data_(std::exchange(o.data_, nullptr)), size_(std::exchange(o.size_, 0)) {}
  secure_buffer &operator=(secure_buffer &&o) noexcept {
    if (this != &o) {
      reset();
      data_ = std::exchange(o.data_, nullptr);
      size_ = std::exchange(o.size_, 0);
    }
    return *this;
  }
  secure_buffer(const secure_buffer &) = delete;
  secure_buffer &operator=(const secure_buffer &) = delete;

  [[nodiscard]] unsigned char *data() noexcept { return data_; }
  [[nodiscard]] const unsigned char *data() const noexcept { return data_; }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }

private:
  void reset() noexcept;
  unsigned char *data_ = nullptr;
  std::size_t size_ = 0;
};

} // namespace pii::detail
VETERAN_NAMESPACE_END
