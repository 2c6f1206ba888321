#include "shim.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

// The table and the outcome of the one load. pthread_once makes the first call load and every
// other wait for it, so concurrent first uses (tests run in parallel) cannot load twice.
static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static bs_curl_api table;
static const bs_curl_api *loaded;
// dlerror's text is overwritten by the next dl* call in the process, so it is copied.
static char failure[512];

static void load(void) {
    // RTLD_NOW: a libcurl too old for one of our functions fails here, in one clear line,
    // rather than at the first call. RTLD_LOCAL: its symbols stay out of the global scope.
    void *library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        const char *why = dlerror();
        snprintf(failure, sizeof failure, "%s", why ? why : "dlopen failed");
        return;
    }
    // POSIX guarantees that dlsym's object pointer converts to a function pointer.
#define RESOLVE(field, name)                                                              \
    do {                                                                                  \
        void *symbol = dlsym(library, name);                                              \
        if (symbol == NULL) {                                                             \
            snprintf(failure, sizeof failure, "libcurl.so.4 has no %s (too old?)", name); \
            return;                                                                       \
        }                                                                                 \
        *(void **)(&table.field) = symbol;                                                \
    } while (0)
    RESOLVE(global_init, "curl_global_init");
    RESOLVE(easy_init, "curl_easy_init");
    RESOLVE(easy_cleanup, "curl_easy_cleanup");
    RESOLVE(easy_perform, "curl_easy_perform");
    RESOLVE(easy_strerror, "curl_easy_strerror");
    RESOLVE(slist_append, "curl_slist_append");
    RESOLVE(slist_free_all, "curl_slist_free_all");
    RESOLVE(version, "curl_version");
    RESOLVE(easy_setopt, "curl_easy_setopt");
    RESOLVE(easy_getinfo, "curl_easy_getinfo");
#undef RESOLVE
    loaded = &table;
}

const bs_curl_api *bs_curl_load(const char **reason) {
    pthread_once(&load_once, load);
    if (loaded == NULL && reason != NULL) *reason = failure;
    return loaded;
}
