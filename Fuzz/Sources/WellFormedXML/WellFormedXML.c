#include "WellFormedXML.h"

#include <limits.h>
#include <libxml/parser.h>

int WellFormedXMLCheck(const uint8_t *bytes, size_t count) {
    if (count > INT_MAX) return 0;
    xmlDocPtr document = xmlReadMemory((const char *)bytes, (int)count, NULL, NULL,
                                       XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (document == NULL) return 0;
    xmlFreeDoc(document);
    return 1;
}
