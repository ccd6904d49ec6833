#!/usr/bin/env bash
# web.sh — serves samples/WebApp: the digit web service (POST /api/digits, GET /health) and its draw-a-digit page, on
# http://127.0.0.1:5000 by default. Trains the default model first with build/run.sh when artifacts/digits-model.zip is
# missing and no other model is named.
# Usage: build/web.sh [--port N] [--host ADDRESS] [app settings, e.g. --Model:Path=digits.zip --Limits:MaxBodyBytes=65536]
#   --port N          the port to listen on (default 5000)
#   --host ADDRESS    the address to listen on (default 127.0.0.1, this machine only; 0.0.0.0 opens it to your network,
#                     e.g. to draw on a phone)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

port=5000 host=127.0.0.1 app_args=()
while (($#)); do
    case "$1" in
        --port) [ $# -ge 2 ] || die "--port needs a number"; port="$2"; shift 2 ;;
        --host) [ $# -ge 2 ] || die "--host needs an address"; host="$2"; shift 2 ;;
        *) app_args+=("$1"); shift ;;
    esac
done
[[ "$port" =~ ^[0-9]+$ ]] && ((port >= 1 && port <= 65535)) || die "--port $port: give a port number from 1 to 65535"

model="$REPO_ROOT/artifacts/digits-model.zip"
if [[ " ${app_args[*]-} " != *" --Model:Path"* ]] && [ ! -f "$model" ]; then
    say "no model at $model: training the default one first (build/run.sh, about six minutes)"
    "$REPO_ROOT/build/run.sh"
else
    "$REPO_ROOT/build/setup.sh"
fi
say "building samples/WebApp (Release)"
build_quietly "$REPO_ROOT/samples/WebApp/WebApp.csproj"
say "serving http://$host:$port/ (Ctrl+C stops it)"
exec dotnet run -c Release --no-build --project "$REPO_ROOT/samples/WebApp" -- --urls "http://$host:$port" "${app_args[@]}"
