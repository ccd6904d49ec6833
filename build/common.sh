# common.sh — shared by the build scripts: paths, messages and the one-time set-up.
# Sourced, not run. DIGITSML_CACHE overrides where MNIST is kept (default ~/.cache/digitsml).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIGITSML_CACHE="${DIGITSML_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/digitsml}"
MNIST_DIR="$DIGITSML_CACHE/mnist"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
