#!/usr/bin/env bash
# The review of a pull request's change to a cdktf app, for any CI: synthesizes the
# base commit and the checked-out head, runs the review of the change
# (`cdktf-docker-review --base <base> <head>`), writes the Markdown comment and
# prints the text report.
#
#   examples/review-pr/review-pr.sh <base-ref> [<comment.md>] [review options, e.g. --fail-on warning]
#
# Environment (all optional):
#   APP_DIR   folder of the app's cdktf.json, relative to the repository root (default: .)
#   INSTALL   how to install the base checkout's dependencies (default: npm ci)
#   SYNTH     how to synthesize into the folder given last (default: npx cdktf synth --output)
#   REVIEW    the review command (default: npx cdktf-docker-review)
#
# Exit code: the review's. 0 = nothing got worse at or above --fail-on (default error),
# 1 = something did, 2 = unreadable input, 3 = the review did not run; any other = a step
# before it failed.
# The comment's first line is <!-- cdktf-docker-production:review-diff -->: a job that
# posts it can find and update its own comment instead of adding one per push.
set -euo pipefail

base_ref=${1:?usage: review-pr.sh <base-ref> [<comment.md>] [review options...]}
out=${2:-review.md}
shift $(( $# >= 2 ? 2 : 1 ))
APP_DIR=${APP_DIR:-.}
INSTALL=${INSTALL:-npm ci}
SYNTH=${SYNTH:-npx cdktf synth --output}
REVIEW=${REVIEW:-npx cdktf-docker-review}

root=$(git rev-parse --show-toplevel)
work=$(mktemp -d)
cleanup() {
  git -C "$root" worktree remove --force "$work/base" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "== synthesizing the head ($(git -C "$root" rev-parse --short HEAD))" >&2
(cd "$root/$APP_DIR" && $SYNTH "$work/head.out")

echo "== synthesizing the base ($base_ref)" >&2
git -C "$root" worktree add --detach --quiet "$work/base" "$base_ref"
(cd "$work/base" && $INSTALL)
(cd "$work/base/$APP_DIR" && $SYNTH "$work/base.out")

echo "== reviewing the change" >&2
set +e
$REVIEW --base "$work/base.out" "$work/head.out" --format markdown "$@" > "$out"
code=$?
set -e
if [ "$code" -ge 2 ]; then
  echo "the review could not read its input (exit $code)" >&2
  exit "$code"
fi
# Exit 1 is also what a crash gives: only a written comment makes it the review's verdict.
if ! head -n 1 "$out" | grep -qxF '<!-- cdktf-docker-production:review-diff -->'; then
  echo "the review did not run (exit $code, no comment written)" >&2
  exit 3
fi
$REVIEW --base "$work/base.out" "$work/head.out" "$@" >&2 || true
echo "== comment written to $out (exit $code)" >&2
exit "$code"
