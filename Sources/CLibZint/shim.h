#ifndef CLIBZINT_SHIM_H
#define CLIBZINT_SHIM_H
#include <zint.h>
#endif
