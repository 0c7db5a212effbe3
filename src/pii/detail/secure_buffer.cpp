#include "pii/detail/secure_buffer.hpp"

#include <sodium.h>

#include "veteran/error.hpp"

VETERAN_NAMESPACE_BEGIN
namespace pii::detail {

secure_buffer::secure_buffer(std::size_t size) {
  data_ = static_cast<unsigned char *>(sodium_malloc(size));
  if (!data_)
    throw veteran::error(errc::out_of_memory, "secure memory allocation failed");
  size_ = size;
  sodium_memzero(data_, size_);
}

secure_buffer secure_buffer::try_allocate(std::size_t size) noexcept {
  secure_buffer b;
  b.data_ = static_cast<unsigned char *>(sodium_malloc(size));
  if (b.data_) {
    b.size_ = size;
    sodium_memzero(b.data_, size);
  }
  return b;
}

secure_buffer::~secure_buffer() { reset(); }

void secure_buffer::reset() noexcept {
  if (data_) sodium_free(data_); // sodium_free wipes before unmapping
  data_ = nullptr;
  size_ = 0;
}

} // namespace pii::detail
VETERAN_NAMESPACE_END
