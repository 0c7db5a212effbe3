#include "pii/detail/nonce_source.hpp"

#include <sodium.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>

VETERAN_NAMESPACE_BEGIN
namespace pii::detail {

namespace {

constexpr std::size_t kBlock = 1024;

// One thread's nonce material. It lives in its own anonymous mapping marked
// MADV_WIPEONFORK: a child created by fork(), vfork-less clone() or a raw
// clone system call (which runs no pthread_atfork handlers) sees the page
// zeroed, so `armed` is 0 and it refills before handing out a byte. Nothing
// here depends on libc noticing the new process.
struct nonce_block {
  unsigned char bytes[kBlock];
  std::size_t used;
  std::uint32_t armed; // 1 once `bytes` holds unused material of this process
  pid_t pid;           // owner, checked only when wipe-on-fork is unavailable
};

pid_t raw_getpid() noexcept {
  // The system call, not getpid(): a libc that caches the pid would return
  // the parent's value in a child made by a raw clone.
  return static_cast<pid_t>(::syscall(SYS_getpid));
}

struct thread_nonces {
  nonce_block *block = nullptr;
  bool init_failed = false;
  bool check_pid = false; // MADV_WIPEONFORK not supported (Linux < 4.14)

  nonce_block *get() noexcept {
    if (block || init_failed) return block;
    void *p = ::mmap(nullptr, sizeof(nonce_block), PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
      init_failed = true;
      return nullptr;
    }
#ifdef MADV_WIPEONFORK
    check_pid = ::madvise(p, sizeof(nonce_block), MADV_WIPEONFORK) != 0;
#else
    check_pid = true;
#endif
    block = static_cast<nonce_block *>(p); // zero-filled: not armed
    return block;
  }
  ~thread_nonces() {
    if (block) ::munmap(block, sizeof(nonce_block));
  }
};

thread_local thread_nonces t_nonces;

} // namespace

void random_nonce(unsigned char *out, std::size_t n) noexcept {
  thread_nonces &t = t_nonces;
  nonce_block *b = t.get();
  if (!b) { // no mapping available: unbuffered, one draw per nonce
    randombytes_buf(out, n);
    return;
  }
  if (!b->armed || kBlock - b->used < n || (t.check_pid && b->pid != raw_getpid())) {
    randombytes_buf(b->bytes, kBlock);
    b->used = 0;
    b->pid = t.check_pid ? raw_getpid() : 0;
    b->armed = 1;
  }
  // Nonces are public, so used bytes need no wiping; `used` only moves
  // forward, so no byte is handed out twice.
  std::memcpy(out, b->bytes + b->used, n);
  b->used += n;
}

} // namespace pii::detail
VETERAN_NAMESPACE_END
