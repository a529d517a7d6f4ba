// libxcrypt for Swift: bcrypt ($2b$) hashing through the reentrant API.
#ifndef CCRYPT_SHIM_H
#define CCRYPT_SHIM_H
#include <crypt.h>

static inline int ccrypt_data_size(void) { return (int)sizeof(struct crypt_data); }
static inline int ccrypt_output_size(void) { return CRYPT_OUTPUT_SIZE; }
static inline int ccrypt_gensalt_output_size(void) { return CRYPT_GENSALT_OUTPUT_SIZE; }
#endif
