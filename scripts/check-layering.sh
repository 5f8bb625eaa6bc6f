#!/usr/bin/env bash
# The layers use only what is below them:
#   common <- runtime <- acl ;  runtime <- platform <- algorithm <- framework
# Public headers (include/) never include internal ones (src/).
set -euo pipefail
cd "$(dirname "$0")/.."

fail=0
forbid() {  # folder, pattern of forbidden includes
  local dir=$1 pattern=$2
  [ -d "$dir" ] || return 0
  if grep -rnE "#include [\"<]($pattern)/" "$dir"; then
    echo "layering: $dir must not include $pattern/" >&2
    fail=1
  fi
}
forbid src/common "runtime|acl|platform|algorithm|framework"
forbid src/runtime "acl|platform|algorithm|framework"
forbid src/acl "platform|algorithm|framework"
forbid src/platform "acl|algorithm|framework"
forbid src/algorithm "framework|runtime|acl"
forbid include "common|runtime|algorithm|framework"
exit $fail
