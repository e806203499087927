#!/bin/bash
# The stand-in `go` of fakeGo.ts. FAKE_GO_* variables choose its answers; every call is appended to
# $FAKE_GO_ROOT/calls.jsonl as {cwd, args, cgo, gowork}.
node_json() { printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g'; }
args=""; for a in "$@"; do args="$args\"$(node_json "$a")\","; done
echo "{\"cwd\":\"$PWD\",\"args\":[${args%,}],\"cgo\":\"${CGO_ENABLED-}\",\"gowork\":\"${GOWORK-}\"}" >> "$FAKE_GO_ROOT/calls.jsonl"
case "$1" in
  env) echo "{\"GOVERSION\":\"$FAKE_GO_VERSION\",\"GOTOOLCHAIN\":\"$FAKE_GOTOOLCHAIN\",\"GOPROXY\":\"https://proxy.example,direct\"}" ;;
  mod)
    if [ "$2" = download ]; then
      if [ -n "$FAKE_GO_PROXY_ERROR" ]; then echo "{\"Path\":\"$4\",\"Error\":\"$FAKE_GO_PROXY_ERROR\"}"; exit 1; fi
      printf 'module github.com/pulumi/pulumi/pkg/v3\n\ngo %s\n' "$FAKE_GO_PKG_GO" > "$FAKE_GO_ROOT/pkg.mod"
      echo "{\"Path\":\"github.com/pulumi/pulumi/pkg/v3\",\"GoMod\":\"$FAKE_GO_ROOT/pkg.mod\"}"
    fi ;;
  get) echo "go: downloading github.com/pulumi/pulumi/pkg/v3 v3.276.0" >&2 ;;
  build)
    out=""; version="v0.0.0"
    while [ $# -gt 0 ]; do
      case "$1" in
        -o) out="$2"; shift ;;
        -ldflags) version=$(printf '%s' "$2" | sed -n 's/.*common\/version\.Version=\([^ ]*\).*/\1/p') ;;
      esac
      shift
    done
    sleep "$FAKE_GO_BUILD_SECONDS"
    if [ -n "$FAKE_GO_BUILD_FAILS" ]; then printf 'half a binary' > "$out"; echo "cmd/pulumi/main.go:1: compile error" >&2; exit 2; fi
    printf '#!/bin/sh\necho %s\n' "$version" > "$out"; chmod +x "$out" ;;
esac
