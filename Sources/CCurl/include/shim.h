#ifndef BS_CCURL_SHIM_H
#define BS_CCURL_SHIM_H

// libcurl's headers give the types and constants only: nothing links libcurl. It is loaded at
// run time (bs_curl_load), the first time an https:// address or a proxy needs it, so that
// plain http:// runs, the common case inside AWX, never pay for mapping libcurl and its ~30
// libraries (krb5, ldap, ssh2, nghttp2, ...) at start-up. Only functions and options that
// libcurl 7.76 (RHEL 9, where AWX execution environments run) already has are used.
#include <curl/curl.h>

/// The libcurl functions inventory-script calls, resolved with dlsym.
typedef struct bs_curl_api {
    CURLcode (*global_init)(long flags);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *handle);
    CURLcode (*easy_perform)(CURL *handle);
    const char *(*easy_strerror)(CURLcode code);
    struct curl_slist *(*slist_append)(struct curl_slist *list, const char *line);
    void (*slist_free_all)(struct curl_slist *list);
    char *(*version)(void);
    // Variadic: Swift cannot call these; the typed wrappers below do.
    CURLcode (*easy_setopt)(CURL *handle, CURLoption option, ...);
    CURLcode (*easy_getinfo)(CURL *handle, CURLINFO info, ...);
} bs_curl_api;

/// dlopen("libcurl.so.4") and dlsym of every function above, once per process (later calls
/// return the first result). NULL when libcurl is missing or lacks a function; then `*reason`
/// says why (the loader's words; a string that lives as long as the process).
const bs_curl_api *bs_curl_load(const char **reason);

// curl_easy_setopt and curl_easy_getinfo are C variadic functions, which Swift cannot call;
// these typed wrappers are what inventory-script uses instead, through the loaded table.

static inline CURLcode bs_curl_setopt_long(const bs_curl_api *api, CURL *handle, CURLoption option, long value) {
    return api->easy_setopt(handle, option, value);
}

static inline CURLcode bs_curl_setopt_string(const bs_curl_api *api, CURL *handle, CURLoption option, const char *value) {
    return api->easy_setopt(handle, option, value);
}

static inline CURLcode bs_curl_setopt_pointer(const bs_curl_api *api, CURL *handle, CURLoption option, void *value) {
    return api->easy_setopt(handle, option, value);
}

static inline CURLcode bs_curl_setopt_slist(const bs_curl_api *api, CURL *handle, CURLoption option, struct curl_slist *value) {
    return api->easy_setopt(handle, option, value);
}

typedef size_t (*bs_curl_data_callback)(char *data, size_t size, size_t count, void *context);

static inline CURLcode bs_curl_setopt_callback(const bs_curl_api *api, CURL *handle, CURLoption option, bs_curl_data_callback value) {
    return api->easy_setopt(handle, option, value);
}

static inline CURLcode bs_curl_getinfo_long(const bs_curl_api *api, CURL *handle, CURLINFO info, long *value) {
    return api->easy_getinfo(handle, info, value);
}

#endif
