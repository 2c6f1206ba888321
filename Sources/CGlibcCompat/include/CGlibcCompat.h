// CGlibcCompat has no API: it only defines libc symbols (see compat.c) so that the linked
// inventory-script binds no glibc symbol version newer than RHEL 9's glibc 2.34.
#pragma once
