#!/usr/bin/env bash
# `make dist`: release binaries in dist/ with the Swift runtime linked in.
#
# dist/inventory-script must run in AWX execution environments (RHEL 9 family: glibc 2.34,
# gcc 11's libstdc++, libcurl 7.76) with nothing installed, although it is built here (Debian
# 12: glibc 2.36, gcc 12, libcurl 7.88). So it links:
# - the Swift runtime statically (--static-swift-stdlib), and no Foundation at all;
# - libstdc++, libgcc and libyaml statically (a link directory that holds only their .a files,
#   named by a pkg-config file of its own, searched first);
# - CGlibcCompat's hypot/hypotf/arc4random, so no glibc symbol above GLIBC_2.34 is bound;
# - not libcurl: Sources/CCurl dlopens libcurl.so.4 by its soname at the first request, and binds its functions by plain name (dlsym), which RHEL's libcurl and Debian's
#   (whose symbols carry the CURL_OPENSSL_4 tag) both provide.
# Tests/InventoryScriptTests/DistBinaryTests.swift checks the result with objdump and ldd.
#
# batch-source (the service) is built too, with the static Swift runtime; it runs on the
# machines the operator chooses, so it has no such constraints. Its resources folder
# (BatchSource_BatchSource.resources) is copied beside it and must be installed with it.
# DIST_PRODUCTS narrows the list; DIST_EXTRA_PRODUCTS are built the same way but not copied
# (`make bench` builds its load generator so, sharing every module with the products).
set -euo pipefail
cd "$(dirname "$0")/.."

SWIFT="${SWIFT:-swift}"
SCRATCH="${DIST_SCRATCH:-.build-dist}"
PRODUCTS="${DIST_PRODUCTS:-inventory-script batch-source}"
LINKDIR="$SCRATCH/link-overrides"
MULTIARCH="$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)"

mkdir -p "$LINKDIR" dist

# Static archives that -lstdc++, -lyaml and -lgcc_s resolve to before the shared libraries.
for lib in libstdc++.a libgcc_eh.a; do
    ln -sf "$(gcc -print-file-name="$lib")" "$LINKDIR/$lib"
done
ln -sf "$(gcc -print-file-name=libgcc_eh.a)" "$LINKDIR/libgcc_s.a"
yaml_archive="/usr/lib/$MULTIARCH/libyaml.a"
[ -f "$yaml_archive" ] || { echo "dist: $yaml_archive is missing (libyaml-dev)" >&2; exit 1; }
ln -sf "$(realpath "$yaml_archive")" "$LINKDIR/libyaml.a"

# The system's yaml-0.1.pc puts -L/usr/lib/<arch> ahead of any other directory, where -lyaml
# would find the shared library: this one names the link directory instead.
LINKDIR_ABS="$(realpath "$LINKDIR")"
mkdir -p "$LINKDIR/pkgconfig"
printf 'Name: LibYAML\nDescription: dist static link\nVersion: 0.2.5\nLibs: -L%s -lyaml\nCflags:\n' "$LINKDIR_ABS" > "$LINKDIR/pkgconfig/yaml-0.1.pc"
export PKG_CONFIG_PATH="$LINKDIR_ABS/pkgconfig"

for product in ${DIST_EXTRA_PRODUCTS:-}; do
    echo "dist: building $product (release, static Swift runtime; not copied to dist/)"
    "$SWIFT" build -c release --product "$product" --scratch-path "$SCRATCH" --static-swift-stdlib \
        -Xswiftc -L"$LINKDIR_ABS" -Xlinker --as-needed -Xlinker -s
done

for product in $PRODUCTS; do
    echo "dist: building $product (release, static Swift runtime)"
    "$SWIFT" build -c release --product "$product" --scratch-path "$SCRATCH" --static-swift-stdlib \
        -Xswiftc -L"$LINKDIR_ABS" -Xlinker --as-needed -Xlinker -s
    cp "$SCRATCH/release/$product" "dist/$product.tmp"
    mv "dist/$product.tmp" "dist/$product"
    echo "dist: dist/$product $(stat -c %s "dist/$product") bytes"
    # The service's resources (the OpenAPI document) go beside it, where Bundle.module looks.
    for bundle in "$SCRATCH/release/"*.resources; do
        [ "$product" = batch-source ] && [ -d "$bundle" ] || continue
        rm -rf "dist/$(basename "$bundle")"
        cp -R "$bundle" "dist/"
    done
done
