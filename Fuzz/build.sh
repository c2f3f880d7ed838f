#!/usr/bin/env bash
# Builds every fuzz harness, instrumented for libFuzzer and AddressSanitizer, into one binary with
# a symlink per harness: .build-fuzz/fuzz/<harness>. The product's library targets are built by
# SwiftPM in their own scratch folder (the normal build is untouched); the harnesses are compiled
# against those modules with the package's name, so they see `package` symbols.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d /opt/swift/usr/bin ] && export PATH="/opt/swift/usr/bin:$PATH"

scratch=.build-fuzz
sanitizers=${FUZZ_SANITIZERS:-fuzzer,address}
out="$scratch/fuzz"

# FunctionHost (the FastCGI client) only writes seeds (Fuzz/make-seeds.sh); it is two small files.
for target in GatewayProviders FunctionHost; do
    swift build -c release --scratch-path "$scratch" --target "$target" -Xswiftc "-sanitize=$sanitizers"
done

modules="$scratch/release"
# The root package's name as SwiftPM passed it (it follows the checkout's directory name).
package_name=$(grep -o '"-module-name","GatewayProviders".*' "$scratch/release.yaml" | grep -o '"-package-name","[^"]*"' | head -1 | cut -d'"' -f4)
objects=()
for module in Logging FunctionRuntime GatewayStore GatewayProviders FunctionHost; do
    objects+=("$modules/$module.build"/*.o)
done

mkdir -p "$out"
swiftc -O -g -sanitize="$sanitizers" -use-ld=lld -parse-as-library -swift-version 6 -enable-upcoming-feature ExistentialAny \
    -module-name FuzzHarnesses -package-name "$package_name" \
    -I "$modules/Modules" -I Sources/CSQLite -I Sources/CLibPQ -I Sources/CCurl -I Sources/CMalloc $(pkg-config --cflags-only-I libpq libcurl | sed 's/-I/-Xcc -I/g') \
    Fuzz/Harnesses/*.swift "${objects[@]}" -o "$out/fuzz-harnesses"

# One symlink per harness: the binary runs the harness it is started as.
for harness in $(FUZZ_LIST_HARNESSES=1 "$out/fuzz-harnesses"); do
    ln -sf fuzz-harnesses "$out/$harness"
done
echo "harnesses in $out"
