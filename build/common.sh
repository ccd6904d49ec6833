# common.sh — shared by the build scripts: paths, messages and the one-time set-up.
# Sourced, not run. DIGITSML_CACHE overrides where MNIST is kept (default ~/.cache/digitsml).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIGITSML_CACHE="${DIGITSML_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/digitsml}"
MNIST_DIR="$DIGITSML_CACHE/mnist"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
# field KEY LINE [ABSENT]: the value of KEY in a result line of key=value pairs (what the bench and load tools print);
# ABSENT when the line has no KEY, or the script stops naming the key if no ABSENT is given.
field() {
    local pair
    for pair in $2; do
        [[ "$pair" == "$1="* ]] && { printf '%s' "${pair#*=}"; return; }
    done
    (($# >= 3)) || die "no $1 in the result line '$2'"
    printf '%s' "$3"
}

# Builds a project in Release, printing the build log only when it fails.
build_quietly() {
    local log
    log="$(mktemp)"
    if ! dotnet build "$1" -c Release -nologo >"$log" 2>&1; then
        grep -E "error|Error" "$log" >&2 || cat "$log" >&2
        rm -f "$log"
        die "the build of $1 failed: see the errors above"
    fi
    rm -f "$log"
}
