#include "faulty_vfs.hpp"

#include <sqlite3.h>

#include <memory>
#include <stdexcept>

namespace roadspeed::test {

// Each open file: our header, then the default VFS's file in the same block.
struct ShimFile {
  sqlite3_file base;
  FaultyVfs* owner;
  sqlite3_file* real() { return reinterpret_cast<sqlite3_file*>(this + 1); }
};

struct FaultyVfsAccess {
  static int& fail_code(FaultyVfs& v) { return v.fail_code_; }
  static int& writes_failed(FaultyVfs& v) { return v.writes_failed_; }
};

namespace {

ShimFile* shim(sqlite3_file* f) { return reinterpret_cast<ShimFile*>(f); }
sqlite3_file* real(sqlite3_file* f) { return shim(f)->real(); }

int shim_write(sqlite3_file* f, const void* data, int n, sqlite3_int64 offset) {
  FaultyVfs& owner = *shim(f)->owner;
  if (const int code = FaultyVfsAccess::fail_code(owner)) {
    ++FaultyVfsAccess::writes_failed(owner);
    return code;
  }
  return real(f)->pMethods->xWrite(real(f), data, n, offset);
}

int shim_close(sqlite3_file* f) { return real(f)->pMethods->xClose(real(f)); }
int shim_read(sqlite3_file* f, void* d, int n, sqlite3_int64 o) { return real(f)->pMethods->xRead(real(f), d, n, o); }
int shim_truncate(sqlite3_file* f, sqlite3_int64 size) { return real(f)->pMethods->xTruncate(real(f), size); }
int shim_sync(sqlite3_file* f, int flags) { return real(f)->pMethods->xSync(real(f), flags); }
int shim_file_size(sqlite3_file* f, sqlite3_int64* size) { return real(f)->pMethods->xFileSize(real(f), size); }
int shim_lock(sqlite3_file* f, int l) { return real(f)->pMethods->xLock(real(f), l); }
int shim_unlock(sqlite3_file* f, int l) { return real(f)->pMethods->xUnlock(real(f), l); }
int shim_check_lock(sqlite3_file* f, int* out) { return real(f)->pMethods->xCheckReservedLock(real(f), out); }
int shim_control(sqlite3_file* f, int op, void* arg) { return real(f)->pMethods->xFileControl(real(f), op, arg); }
int shim_sector(sqlite3_file* f) { return real(f)->pMethods->xSectorSize(real(f)); }
int shim_device(sqlite3_file* f) { return real(f)->pMethods->xDeviceCharacteristics(real(f)); }
int shim_shm_map(sqlite3_file* f, int page, int size, int extend, void volatile** p) {
  return real(f)->pMethods->xShmMap(real(f), page, size, extend, p);
}
int shim_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
  return real(f)->pMethods->xShmLock(real(f), offset, n, flags);
}
void shim_shm_barrier(sqlite3_file* f) { real(f)->pMethods->xShmBarrier(real(f)); }
int shim_shm_unmap(sqlite3_file* f, int del) { return real(f)->pMethods->xShmUnmap(real(f), del); }
int shim_fetch(sqlite3_file* f, sqlite3_int64 o, int n, void** p) { return real(f)->pMethods->xFetch(real(f), o, n, p); }
int shim_unfetch(sqlite3_file* f, sqlite3_int64 o, void* p) { return real(f)->pMethods->xUnfetch(real(f), o, p); }

const sqlite3_io_methods shim_methods = {
    3,           shim_close,      shim_read,     shim_write,     shim_truncate,    shim_sync,
    shim_file_size, shim_lock,    shim_unlock,   shim_check_lock, shim_control,    shim_sector,
    shim_device, shim_shm_map,    shim_shm_lock, shim_shm_barrier, shim_shm_unmap, shim_fetch,
    shim_unfetch};

struct Shim {
  sqlite3_vfs vfs;
  sqlite3_vfs* inner;
  FaultyVfs* owner;
};

int shim_open(sqlite3_vfs* vfs, const char* name, sqlite3_file* f, int flags, int* out_flags) {
  Shim* s = static_cast<Shim*>(vfs->pAppData);
  ShimFile* file = shim(f);
  file->owner = s->owner;
  file->base.pMethods = nullptr;
  const int rc = s->inner->xOpen(s->inner, name, file->real(), flags, out_flags);
  if (rc == SQLITE_OK) file->base.pMethods = &shim_methods;
  return rc;
}

}  // namespace

FaultyVfs::FaultyVfs(std::string name) : name_(std::move(name)) {
  sqlite3_vfs* inner = sqlite3_vfs_find(nullptr);
  auto* s = new Shim{*inner, inner, this};
  s->vfs.szOsFile = static_cast<int>(sizeof(ShimFile)) + inner->szOsFile;
  s->vfs.zName = name_.c_str();
  s->vfs.pAppData = s;
  s->vfs.pNext = nullptr;
  s->vfs.xOpen = shim_open;
  // The other entries (delete, access, randomness, time, ...) are the inner
  // VFS's own; they take the VFS pointer only to reach their own state,
  // which for the unix VFS is none.
  if (sqlite3_vfs_register(&s->vfs, 0) != SQLITE_OK) {
    delete s;
    throw std::runtime_error("cannot register VFS " + name_);
  }
  vfs_ = s;
}

FaultyVfs::~FaultyVfs() {
  auto* s = static_cast<Shim*>(vfs_);
  sqlite3_vfs_unregister(&s->vfs);
  delete s;
}

}  // namespace roadspeed::test
