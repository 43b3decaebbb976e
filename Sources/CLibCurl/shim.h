#ifndef CLIBCURL_SHIM_H
#define CLIBCURL_SHIM_H
#include <curl/curl.h>

/* curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call: one typed
   wrapper per argument kind. */
static inline CURLcode mailmerge_curl_setopt_long(CURL *curl, CURLoption option, long value) {
    return curl_easy_setopt(curl, option, value);
}
static inline CURLcode mailmerge_curl_setopt_string(CURL *curl, CURLoption option, const char *value) {
    return curl_easy_setopt(curl, option, value);
}
static inline CURLcode mailmerge_curl_setopt_pointer(CURL *curl, CURLoption option, void *value) {
    return curl_easy_setopt(curl, option, value);
}
typedef size_t (*mailmerge_curl_read_callback)(char *buffer, size_t size, size_t count, void *context);
static inline CURLcode mailmerge_curl_setopt_read(CURL *curl, mailmerge_curl_read_callback callback) {
    return curl_easy_setopt(curl, CURLOPT_READFUNCTION, callback);
}
typedef int (*mailmerge_curl_debug_callback)(CURL *curl, curl_infotype type, char *data, size_t size, void *context);
static inline CURLcode mailmerge_curl_setopt_debug(CURL *curl, mailmerge_curl_debug_callback callback) {
    return curl_easy_setopt(curl, CURLOPT_DEBUGFUNCTION, callback);
}
static inline CURLcode mailmerge_curl_response_code(CURL *curl, long *code) {
    return curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, code);
}
static inline CURLcode mailmerge_curl_global_init(void) {
    return curl_global_init(CURL_GLOBAL_DEFAULT);
}
static inline int mailmerge_curl_error_size(void) {
    return CURL_ERROR_SIZE;
}
#endif
