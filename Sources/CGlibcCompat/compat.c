// AWX runs inventory-script in RHEL 9 execution environments (glibc 2.34). The Swift runtime
// and libgcc linked statically into `dist/inventory-script` call a few libc functions that
// this build machine's glibc (2.36) exports only under newer symbol versions, and a binary
// that binds one of those does not load on glibc 2.34. Defining them here makes the static
// linker take these definitions, so no such version is bound:
// - hypot/hypotf got a new default version (GLIBC_2.35) for a faster implementation; the
//   GLIBC_2.2.5 versions are the same functions as every glibc since 2.2.5 exports them, so
//   these forward to that version and keep glibc's exact results.
// - arc4random appeared in glibc 2.36; this one draws from getrandom(2) (glibc 2.25).
// - _dl_find_object (glibc 2.35) is how gcc 12's static unwinder (libgcc_eh) finds a frame's
//   exception tables; this one finds them the way older libgcc did, with dl_iterate_phdr.
#define _GNU_SOURCE 1
#include <features.h>

#if defined(__linux__) && defined(__GLIBC__) && defined(__x86_64__)
#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

double bs_hypot_glibc_2_2_5(double x, double y);
float bs_hypotf_glibc_2_2_5(float x, float y);
__asm__(".symver bs_hypot_glibc_2_2_5,hypot@GLIBC_2.2.5");
__asm__(".symver bs_hypotf_glibc_2_2_5,hypotf@GLIBC_2.2.5");

double hypot(double x, double y) { return bs_hypot_glibc_2_2_5(x, y); }
float hypotf(float x, float y) { return bs_hypotf_glibc_2_2_5(x, y); }

uint32_t arc4random(void) {
    uint32_t value;
    unsigned char *p = (unsigned char *)&value;
    size_t filled = 0;
    while (filled < sizeof value) {
        ssize_t n = getrandom(p + filled, sizeof value - filled, 0);
        if (n > 0) {
            filled += (size_t)n;
        } else if (n < 0 && errno != EINTR) {
            // The kernel has no entropy source to offer (pre-3.17 kernels): nothing safe to return.
            abort();
        }
    }
    return value;
}

#if __GLIBC_PREREQ(2, 35)
struct bs_find_request {
    uintptr_t pc;
    struct dl_find_object *result;
    int found;
};

static int bs_find_object_in(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size;
    struct bs_find_request *request = data;
    uintptr_t start = UINTPTR_MAX, end = 0;
    int contains = 0;
    const ElfW(Phdr) *eh_frame_hdr = NULL;
    for (ElfW(Half) i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type == PT_LOAD) {
            uintptr_t lo = info->dlpi_addr + ph->p_vaddr, hi = lo + ph->p_memsz;
            if (lo < start) start = lo;
            if (hi > end) end = hi;
            if (request->pc >= lo && request->pc < hi) contains = 1;
        } else if (ph->p_type == PT_GNU_EH_FRAME) {
            eh_frame_hdr = ph;
        }
    }
    if (!contains) return 0;
    memset(request->result, 0, sizeof *request->result);
    request->result->dlfo_map_start = (void *)start;
    request->result->dlfo_map_end = (void *)end;
    request->result->dlfo_eh_frame = eh_frame_hdr ? (void *)(info->dlpi_addr + eh_frame_hdr->p_vaddr) : NULL;
    request->found = 1;
    return 1;
}

int _dl_find_object(void *pc, struct dl_find_object *result) {
    struct bs_find_request request = {(uintptr_t)pc, result, 0};
    dl_iterate_phdr(bs_find_object_in, &request);
    return request.found ? 0 : -1;
}
#endif
#endif
