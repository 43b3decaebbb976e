#ifndef CLIBZIP_SHIM_H
#define CLIBZIP_SHIM_H
#include <zip.h>
// zlib (libzip's own dependency): DocxPackage deflates changed parts itself with a reused stream (Deflater.swift).
#include <zlib.h>
#endif
