#ifndef CLIBXML2_SHIM_H
#define CLIBXML2_SHIM_H
// Debian's libxml2 is built with ICU support; its headers then include ICU's,
// which clash with the ICU bundled in Swift's Foundation. We never use libxml2's
// ICU encoding handlers, so switch that part of the headers off.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlsave.h>
#include <libxml/xmlerror.h>
#endif
