#ifndef WELL_FORMED_XML_H
#define WELL_FORMED_XML_H

#include <stddef.h>
#include <stdint.h>

/// Whether `bytes` parse as a well-formed XML document (libxml2's DOM parser, no network,
/// no entity substitution): the fuzzer's independent check of the engine's output.
/// Returns 1 when well-formed, 0 otherwise.
int WellFormedXMLCheck(const uint8_t *bytes, size_t count);

#endif
