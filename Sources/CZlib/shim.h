#ifndef SSMPATH_CZLIB_SHIM_H
#define SSMPATH_CZLIB_SHIM_H
#include <zlib.h>
#endif
