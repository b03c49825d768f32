// The names of zstd's advanced parameters (ZSTD_c_format, ZSTD_d_format): values passed to
// its stable setParameter functions, which the shared library takes.
#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>
#include <zdict.h>
