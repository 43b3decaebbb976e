#ifndef CLIBDEFLATE_SHIM_H
#define CLIBDEFLATE_SHIM_H
// libdeflate (Debian: libdeflate-dev): DocxPackage deflates the parts a merge changes with it (Deflater.swift).
#include <libdeflate.h>
#endif
