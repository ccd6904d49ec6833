#!/usr/bin/env bash
# pack.sh — makes the three NuGet packages into artifacts/packages: DigitsML.Scoring (scoring inside ML.NET pipelines, no
# TorchSharp), DigitsML (training: TorchSharp, libtorch, buildTransitive/DigitsML.targets) and DigitsML.Hosting
# (AddDigitsRecognition for an app's services), and writes
# artifacts/packages/DigitsML.Packages.props naming their version, by which samples/Packaged (outside the solution,
# with its own nuget.config) restores them.
# Each package comes with its symbol package (.snupkg), built deterministically (ContinuousIntegrationBuild), with the
# licence, icon, source commit and release notes (CHANGELOG.md's newest section) of Directory.Build.props.
# Usage: build/pack.sh [--version V] [--clean-cache] [--sample [SAMPLE ARGS...]]
#   --version V   the packages' version (default: the repository's Version with "-dev.<UTC time>" appended, so that a
#                 new pack never meets an older package of the same version in the NuGet cache)
#   --sample      then restores, builds and runs samples/Packaged against the new packages, as a user's project would;
#                 the arguments after it pass to the sample (default: the MNIST cache folder, 1 epoch and the photos
#                 of tests/DigitsML.Scoring.Tests/fixtures/digits)
#   --clean-cache with --sample: restores into an empty NuGet packages folder (NUGET_PACKAGES), so every package,
#                 libtorch included (about 0.5 GB), comes from the package sources again; removed afterwards
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

usage() { sed -n '2,/^source/p' "${BASH_SOURCE[0]}" | grep '^#' | sed 's/^# \{0,1\}//'; }

version="" sample=0 clean_cache=0 sample_args=()
while (($#)); do
    case "$1" in
        -h|--help) usage; exit 0 ;;
        --version) (($# >= 2)) || die "--version needs a value (see build/pack.sh --help)"
                   version="$2"; shift 2 ;;
        --clean-cache) clean_cache=1; shift ;;
        --sample) sample=1; shift; sample_args=("$@"); break ;;
        *) die "unknown argument '$1' (see build/pack.sh --help)" ;;
    esac
done
((clean_cache && !sample)) && die "--clean-cache only applies with --sample (put it before --sample)"
if [ -z "$version" ]; then
    base="$(dotnet msbuild "$REPO_ROOT/src/DigitsML/DigitsML.csproj" -getProperty:Version -nologo)" \
        || die "could not read the Version property of src/DigitsML/DigitsML.csproj"
    version="$base-dev.$(date -u +%Y%m%d%H%M%S)"
fi
# NuGet's own rule is looser, but this keeps the version usable as a file name and in the generated props.
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]] \
    || die "--version '$version' is not a version like 1.2.3 or 1.2.3-beta.1"

out="$REPO_ROOT/artifacts/packages"
mkdir -p "$out"
rm -f "$out"/DigitsML.*.nupkg "$out"/DigitsML.*.snupkg "$out"/DigitsML.Packages.props
say "packing DigitsML.Scoring and DigitsML $version into $out"
clock=$SECONDS
for project in src/DigitsML.Scoring/DigitsML.Scoring.csproj src/DigitsML/DigitsML.csproj src/DigitsML.Hosting/DigitsML.Hosting.csproj; do
    log="$(mktemp)"
    if ! dotnet pack "$REPO_ROOT/$project" -c Release -nologo -o "$out" -p:Version="$version" \
            -p:ContinuousIntegrationBuild=true >"$log" 2>&1; then
        grep -E "error|Error" "$log" >&2 || cat "$log" >&2
        rm -f "$log"
        die "packing $project failed: see the errors above"
    fi
    rm -f "$log"
done
for id in DigitsML.Scoring DigitsML DigitsML.Hosting; do
    [ -f "$out/$id.$version.nupkg" ] || die "dotnet pack did not write $out/$id.$version.nupkg"
done
cat >"$out/DigitsML.Packages.props" <<EOF
<!-- Written by build/pack.sh: the version of the DigitsML packages in this folder (samples/Packaged imports it). -->
<Project>
  <PropertyGroup>
    <DigitsMLPackageVersion>$version</DigitsMLPackageVersion>
  </PropertyGroup>
</Project>
EOF
for id in DigitsML.Scoring DigitsML DigitsML.Hosting; do
    printf '%s\t%s\n' "$(du -k "$out/$id.$version.nupkg" | cut -f1) KiB" "$out/$id.$version.nupkg"
done
say "packed in $((SECONDS - clock)) s"
((sample)) || exit 0

"$REPO_ROOT/build/setup.sh"
((${#sample_args[@]})) || sample_args=("$MNIST_DIR" 1 "$REPO_ROOT/tests/DigitsML.Scoring.Tests/fixtures/digits")
project="$REPO_ROOT/samples/Packaged/Packaged.csproj"
if ((clean_cache)); then
    NUGET_PACKAGES="$(mktemp -d)"
    export NUGET_PACKAGES
    trap 'rm -rf "$NUGET_PACKAGES"' EXIT
    say "restoring samples/Packaged into an empty NuGet packages folder, $NUGET_PACKAGES"
else
    say "restoring samples/Packaged"
fi
clock=$SECONDS
# The sample's obj/ may hold an older version's restore; --force-evaluate re-resolves against the new packages.
log="$(mktemp)"
if ! dotnet restore "$project" --force-evaluate -nologo >"$log" 2>&1; then
    grep -E "error|Error" "$log" >&2 || cat "$log" >&2
    rm -f "$log"
    die "restoring samples/Packaged failed: see the errors above"
fi
rm -f "$log"
say "restored in $((SECONDS - clock)) s; building"
clock=$SECONDS
build_quietly "$project"
say "built in $((SECONDS - clock)) s; running"
dotnet run --project "$project" -c Release --no-build -- "${sample_args[@]}"
