// AWX runs inventory-script in RHEL 9 execution environments (glibc 2.34). The Swift runtime
// linked statically into `dist/inventory-script` calls a few libc functions that this build
// machine's glibc (2.36) exports only under newer symbol versions, and a binary that binds
// one of those does not load on glibc 2.34. Defining them here makes the static linker take
// these definitions, so no such version is bound:
// - hypot/hypotf got a new default version (GLIBC_2.35) for a faster implementation; the
//   GLIBC_2.2.5 versions are the same functions as every glibc since 2.2.5 exports them, so
//   these forward to that version and keep glibc's exact results.
// - arc4random appeared in glibc 2.36; this one draws from getrandom(2) (glibc 2.25).
#if defined(__linux__) && defined(__GLIBC__) && defined(__x86_64__)
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
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
#endif
