#!/usr/bin/env bash
# web.sh — serves samples/WebApp: the digit web service (POST /api/digits, POST /api/numbers, GET /health) and its page
# (draw a digit, write a number), on http://127.0.0.1:5000 by default, with the models shipped in DigitsML.Scoring
# unless others are named (--Model:Path=digits.zip, --Reader:Path=reader.zip).
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

"$REPO_ROOT/build/setup.sh"
say "building samples/WebApp (Release)"
build_quietly "$REPO_ROOT/samples/WebApp/WebApp.csproj"
say "serving http://$host:$port/ (Ctrl+C stops it)"
exec dotnet run -c Release --no-build --project "$REPO_ROOT/samples/WebApp" -- --urls "http://$host:$port" "${app_args[@]}"
